package fakediscord

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Gateway opcodes.
const (
	opClose               = -1 // not an opcode: marks a close frame in [Frame]
	opDispatch            = 0
	opHeartbeat           = 1
	opIdentify            = 2
	opPresenceUpdate      = 3
	opResume              = 6
	opReconnect           = 7
	opRequestGuildMembers = 8
	opInvalidSession      = 9
	opHello               = 10
	opHeartbeatACK        = 11
)

// Frame is a gateway payload the fake sent or received; heartbeats and
// their ACKs are counted in [GatewayStats] instead.
type Frame struct {
	// N orders frames and REST requests in one exchange.
	N int64
	// Time is when the frame was sent or received.
	Time time.Time
	// FromFake is true for frames the fake sent.
	FromFake bool
	// Op is the opcode, or -1 for a close frame the fake sent (T holds code and reason).
	Op int
	// T is the dispatch event name.
	T string
	// S is the dispatch sequence number.
	S int64
	// D is the payload data; tokens are redacted.
	D json.RawMessage
}

// GatewayStats counts what happened on the gateway.
type GatewayStats struct {
	// Connects counts websocket connections accepted.
	Connects int
	// Identifies counts IDENTIFY payloads answered with READY.
	Identifies int
	// Resumes counts RESUME payloads answered with a replay and RESUMED.
	Resumes int
	// InvalidSessions counts RESUME payloads answered with INVALID_SESSION.
	InvalidSessions int
	// Heartbeats counts heartbeats ACKed.
	Heartbeats int
	// Connected is true while the current session has a live connection.
	Connected bool
}

// gwSession is a gateway session: what IDENTIFY created and RESUME continues.
type gwSession struct {
	id        string
	seq       int64
	history   []sent
	conn      *gwConn
	intents   discordgo.Intent
	compress  bool
	resumable bool
}

// sent is a dispatch in a session's history, for replay on RESUME.
type sent struct {
	seq   int64
	t     string
	d     json.RawMessage
	raw   []byte
	token string // interaction token, to mark delivery
}

// gwConn is one websocket connection.
type gwConn struct {
	ws         *websocket.Conn
	session    *gwSession // guarded by Server.mu
	heartbeats int        // guarded by Server.mu
	wmu        sync.Mutex // serialises writes
}

// write sends one payload, zlib-compressed in a binary message when compress is set.
func (c *gwConn) write(raw []byte, compress bool) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if !compress {
		return c.ws.WriteMessage(websocket.TextMessage, raw)
	}
	var b bytes.Buffer
	zw := zlib.NewWriter(&b)
	if _, err := zw.Write(raw); err != nil {
		return fmt.Errorf("compress: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("compress: %w", err)
	}
	return c.ws.WriteMessage(websocket.BinaryMessage, b.Bytes())
}

// closeWith sends a close frame with code and reason, then closes the connection.
func (c *gwConn) closeWith(code int, reason string) {
	c.wmu.Lock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
	c.wmu.Unlock()
	_ = c.ws.Close()
}

// event is a dispatch to send to the bot.
type event struct {
	t         string
	d         any
	noContent any              // d without message content, for bots lacking MESSAGE_CONTENT
	need      discordgo.Intent // intent the bot must have asked for; 0 for none
	token     string           // interaction token
}

// serveGateway runs one gateway connection.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "fakediscord closed", http.StatusServiceUnavailable)
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		s.addError(fmt.Errorf("gateway upgrade: %w", err))
		return
	}
	c := &gwConn{ws: ws}
	s.mu.Lock()
	if s.closed { // Close has already collected the connections to close
		s.mu.Unlock()
		_ = ws.Close()
		return
	}
	s.conns[c] = struct{}{}
	s.stats.Connects++
	s.notifyLocked()
	s.mu.Unlock()
	defer s.dropConn(c)

	q := r.URL.Query()
	switch {
	case q.Get("v") != "9" && q.Get("v") != "10":
		s.closeConn(c, 4012, "Invalid API version")
		return
	case q.Get("encoding") != "" && q.Get("encoding") != "json":
		s.addError(fmt.Errorf("gateway: encoding %q not supported by the fake", q.Get("encoding")))
		s.closeConn(c, 4002, "Decode error")
		return
	case q.Get("compress") != "":
		s.addError(fmt.Errorf("gateway: transport compression %q not supported by the fake", q.Get("compress")))
		s.closeConn(c, 4000, "Unknown error")
		return
	}
	version := q.Get("v")

	s.writeOp(c, opHello, map[string]any{"heartbeat_interval": s.cfg.HeartbeatInterval.Milliseconds()})
	for {
		mt, data, err := ws.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) && (ce.Code == websocket.CloseNormalClosure || ce.Code == websocket.CloseGoingAway) {
				// Discord invalidates a session closed with 1000 or 1001.
				s.mu.Lock()
				if c.session != nil {
					c.session.resumable = false
				}
				s.mu.Unlock()
			}
			return
		}
		var p struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if mt != websocket.TextMessage || json.Unmarshal(data, &p) != nil {
			s.addError(fmt.Errorf("gateway: undecodable payload %q", data))
			s.closeConn(c, 4002, "Decode error")
			return
		}
		if p.Op != opHeartbeat {
			s.logFrame(false, p.Op, "", 0, redactToken(p.D))
		}
		switch p.Op {
		case opHeartbeat:
			s.mu.Lock()
			s.stats.Heartbeats++
			c.heartbeats++
			s.notifyLocked()
			s.mu.Unlock()
			_ = c.write([]byte(`{"op":11,"d":null,"s":null,"t":null}`), false)
		case opIdentify:
			if !s.identify(c, p.D, version) {
				return
			}
		case opResume:
			if !s.resume(c, p.D) {
				return
			}
		case opPresenceUpdate, 4, opRequestGuildMembers:
			s.mu.Lock()
			authed := c.session != nil
			s.mu.Unlock()
			if !authed {
				s.closeConn(c, 4003, "Not authenticated")
				return
			}
		default:
			s.addError(fmt.Errorf("gateway: unknown opcode %d", p.Op))
			s.closeConn(c, 4001, "Unknown opcode")
			return
		}
	}
}

// checkToken reports whether a gateway token is acceptable.
func (s *Server) checkToken(tok string) bool {
	tok = strings.TrimPrefix(tok, "Bot ")
	return tok != "" && (s.cfg.Token == "" || tok == strings.TrimPrefix(s.cfg.Token, "Bot "))
}

// identify answers IDENTIFY with READY; false means the connection was closed.
func (s *Server) identify(c *gwConn, d json.RawMessage, version string) bool {
	var id struct {
		Token    string  `json:"token"`
		Intents  *int64  `json:"intents"`
		Compress bool    `json:"compress"`
		Shard    *[2]int `json:"shard"`
	}
	if err := json.Unmarshal(d, &id); err != nil {
		s.closeConn(c, 4002, "Decode error")
		return false
	}
	s.mu.Lock()
	already := c.session != nil
	s.mu.Unlock()
	switch {
	case already:
		s.closeConn(c, 4005, "Already authenticated")
		return false
	case !s.checkToken(id.Token):
		s.closeConn(c, 4004, "Authentication failed")
		return false
	case id.Intents == nil:
		s.closeConn(c, 4013, "Invalid intent(s)")
		return false
	}

	sess := &gwSession{id: randomHex(16), intents: discordgo.Intent(*id.Intents), compress: id.Compress, resumable: true, conn: c}
	s.mu.Lock()
	s.sessions[sess.id] = sess
	s.session = sess
	c.session = sess
	s.stats.Identifies++
	s.intents = *id.Intents
	bot := userJSON(s.users[s.cfg.AppID])
	s.mu.Unlock()
	bot["verified"] = true
	bot["mfa_enabled"] = false
	bot["email"] = nil

	v := 9
	if version == "10" {
		v = 10
	}
	ready := map[string]any{
		"v":                  v,
		"user":               bot,
		"guilds":             []any{},
		"private_channels":   []any{},
		"session_id":         sess.id,
		"session_type":       "normal",
		"resume_gateway_url": s.GatewayURL(),
		"application":        map[string]any{"id": s.cfg.AppID, "flags": 0},
		"_trace":             []string{"fakediscord"},
	}
	if id.Shard != nil {
		ready["shard"] = id.Shard
	}
	s.sendMu.Lock()
	s.dispatchHeld(sess, event{t: "READY", d: ready})
	s.sendMu.Unlock()
	return true
}

// resume replays the dispatches after the client's sequence, then RESUMED;
// an unknown or closed session gets INVALID_SESSION. False means the
// connection was closed.
func (s *Server) resume(c *gwConn, d json.RawMessage) bool {
	var rs struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if err := json.Unmarshal(d, &rs); err != nil {
		s.closeConn(c, 4002, "Decode error")
		return false
	}
	if !s.checkToken(rs.Token) {
		s.closeConn(c, 4004, "Authentication failed")
		return false
	}
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	s.mu.Lock()
	sess := s.sessions[rs.SessionID]
	if sess == nil || !sess.resumable || rs.Seq > sess.seq {
		s.stats.InvalidSessions++
		s.notifyLocked()
		s.mu.Unlock()
		s.writeOp(c, opInvalidSession, false)
		return true
	}
	old := sess.conn
	sess.conn = c
	c.session = sess
	s.session = sess
	s.stats.Resumes++
	var replay []sent
	for _, e := range sess.history {
		if e.seq > rs.Seq {
			replay = append(replay, e)
		}
	}
	s.mu.Unlock()
	if old != nil && old != c {
		_ = old.ws.Close()
	}
	for _, e := range replay {
		s.deliver(c, sess, e)
	}
	s.dispatchHeld(sess, event{t: "RESUMED", d: map[string]any{"_trace": []string{"fakediscord"}}})
	return true
}

// dispatch sends ev to the current session if it asked for the event's
// intent. It reports whether the session exists; a session without a live
// connection keeps the event for replay on RESUME.
func (s *Server) dispatch(ev event) bool {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	s.mu.Lock()
	sess := s.session
	s.mu.Unlock()
	if sess == nil {
		return false
	}
	s.dispatchHeld(sess, ev)
	return true
}

// send dispatches events that have a name, when a session exists.
func (s *Server) send(evs ...event) {
	for _, ev := range evs {
		if ev.t != "" {
			s.dispatch(ev)
		}
	}
}

// dispatchHeld sequences ev in sess and writes it if sess is connected; s.sendMu must be held.
func (s *Server) dispatchHeld(sess *gwSession, ev event) {
	s.mu.Lock()
	if ev.need != 0 && sess.intents&ev.need == 0 {
		s.mu.Unlock()
		return
	}
	d := ev.d
	if ev.noContent != nil && sess.intents&discordgo.IntentsMessageContent == 0 {
		d = ev.noContent
	}
	data, err := json.Marshal(d)
	if err != nil {
		s.mu.Unlock()
		s.addError(fmt.Errorf("gateway: marshal %s: %w", ev.t, err))
		return
	}
	sess.seq++
	e := sent{seq: sess.seq, t: ev.t, d: data, token: ev.token}
	e.raw, _ = json.Marshal(map[string]any{"op": opDispatch, "t": ev.t, "s": e.seq, "d": json.RawMessage(data)})
	sess.history = append(sess.history, e)
	c := sess.conn
	s.mu.Unlock()
	if c != nil {
		s.deliver(c, sess, e)
	}
}

// deliver writes a sequenced dispatch to c and marks an interaction delivered.
func (s *Server) deliver(c *gwConn, sess *gwSession, e sent) {
	s.logFrame(true, opDispatch, e.t, e.seq, e.d)
	s.mu.Lock()
	compress := sess.compress
	s.mu.Unlock()
	if err := c.write(e.raw, compress); err != nil {
		return
	}
	if e.token != "" {
		s.mu.Lock()
		if it := s.interactions[e.token]; it != nil && it.Delivered.IsZero() {
			it.Delivered = time.Now()
		}
		s.notifyLocked()
		s.mu.Unlock()
	}
}

// writeOp sends a non-dispatch payload.
func (s *Server) writeOp(c *gwConn, op int, d any) {
	data, _ := json.Marshal(d)
	s.logFrame(true, op, "", 0, data)
	raw, _ := json.Marshal(map[string]any{"op": op, "d": json.RawMessage(data), "s": nil, "t": nil})
	_ = c.write(raw, false)
}

func (s *Server) closeConn(c *gwConn, code int, reason string) {
	s.logFrame(true, opClose, fmt.Sprintf("CLOSE %d %s", code, reason), 0, nil)
	c.closeWith(code, reason)
}

func (s *Server) logFrame(fromFake bool, op int, t string, seq int64, d json.RawMessage) {
	f := Frame{N: s.order.Add(1), Time: time.Now(), FromFake: fromFake, Op: op, T: t, S: seq, D: append(json.RawMessage(nil), d...)}
	s.mu.Lock()
	s.frames = append(s.frames, f)
	s.notifyLocked()
	s.mu.Unlock()
}

// dropConn forgets a finished connection.
func (s *Server) dropConn(c *gwConn) {
	_ = c.ws.Close()
	s.mu.Lock()
	delete(s.conns, c)
	if c.session != nil && c.session.conn == c {
		c.session.conn = nil
	}
	s.notifyLocked()
	s.mu.Unlock()
}

// DropGateway closes the current session's connection without a close frame,
// as a network failure would. discordgo reconnects and RESUMEs; dispatches
// made meanwhile are replayed then. It fails the test if no connection is live.
//
// It first waits (up to 5s) for the connection's first heartbeat and a little
// more: discordgo v0.29.0 reacts to the drop with Close, which holds the
// session lock for a second, and a heartbeat goroutine caught before its
// select writes on the dead connection afterwards and starts a second
// reconnect; the two reconnects then close each other's connections in turn.
func (s *Server) DropGateway() {
	c := s.settledConn("DropGateway")
	if c == nil {
		return
	}
	s.logFrame(true, opClose, "DROP (connection closed without a close frame)", 0, nil)
	_ = c.ws.Close()
}

// RequestReconnect sends RECONNECT (op 7) on the current connection;
// discordgo closes with 1012 and RESUMEs. It waits for a heartbeat first, as
// [Server.DropGateway] does, and fails the test if no connection is live.
func (s *Server) RequestReconnect() {
	if c := s.settledConn("RequestReconnect"); c != nil {
		s.writeOp(c, opReconnect, nil)
	}
}

// settledConn returns the current connection once it has heartbeated, or
// fails the test.
func (s *Server) settledConn(caller string) *gwConn {
	var c *gwConn
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.waitUntil(ctx, func() bool {
		c = nil
		if s.session != nil {
			c = s.session.conn
		}
		return c != nil && c.heartbeats > 0
	})
	if c == nil {
		s.tb.Fatalf("fakediscord: %s: no live gateway connection", caller)
		return nil
	}
	if err != nil {
		s.tb.Logf("fakediscord: %s: no heartbeat on the connection yet", caller)
	}
	time.Sleep(50 * time.Millisecond) // let discordgo's heartbeat goroutine reach its select
	return c
}

// Stats returns the gateway counters.
func (s *Server) Stats() GatewayStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.statsLocked()
}

func (s *Server) statsLocked() GatewayStats {
	st := s.stats
	st.Connected = s.session != nil && s.session.conn != nil
	return st
}

// WaitStats waits until cond holds for the gateway counters and returns them.
func (s *Server) WaitStats(ctx context.Context, cond func(GatewayStats) bool) (GatewayStats, error) {
	var st GatewayStats
	err := s.waitUntil(ctx, func() bool {
		st = s.statsLocked()
		return cond(st)
	})
	return st, err
}

// Identified returns the intents of the latest IDENTIFY, 0 before one.
func (s *Server) Identified() discordgo.Intent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return discordgo.Intent(s.intents)
}

// Frames returns the gateway payloads sent and received so far, heartbeats excepted.
func (s *Server) Frames() []Frame {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Frame(nil), s.frames...)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
