// Package fakediscord is a fake Discord on loopback that a real
// discordgo Session talks to in tests.
//
// A [Server] runs two httptest servers: one serves the REST API under
// /api/v9/ (and /api/v10/), the other the gateway websocket. A test points a
// discordgo Session at it by setting Session.Client to [Server.HTTPClient],
// whose transport rewrites https://discord.com/... to the fake; discordgo then
// learns the gateway address from GET /gateway. [NewSession] does both.
//
// The fake keeps state (channels, messages, threads, interaction responses,
// application commands), records every REST request in order
// ([Server.Requests], [Server.WaitFor], [Server.Transcript]), checks requests
// and responses against Discord's OpenAPI document through a [Validator]
// ([Server.Errors], [Server.AssertValid]), injects rate limits and server
// errors ([Server.FailNext]), and drives the gateway: HELLO, READY, heartbeat
// ACKs, RESUME with replay, dispatches ([Server.DispatchInteraction],
// [Server.DispatchMessageCreate]) and dropped connections
// ([Server.DropGateway]).
package fakediscord

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Default identities used when a [Config] leaves them empty.
const (
	// DefaultAppID is the application ID, which is also the bot user's ID.
	DefaultAppID = "1100000000000000001"
	// DefaultBotName is the bot user's username.
	DefaultBotName = "crisisbot"
	// DefaultGuildID is the guild that dispatch specs use when they name none.
	DefaultGuildID = "1200000000000000001"
	// DefaultChannelID is the guild text channel that dispatch specs use when they name none.
	DefaultChannelID = "1300000000000000001"
	// DefaultUserID is the user who invokes interactions and sends messages when a spec names none.
	DefaultUserID = "1400000000000000001"
	// DefaultUsername is the username of [DefaultUserID].
	DefaultUsername = "tester"
)

// Validator checks HTTP exchanges against an API description.
// *specvalidate.Validator satisfies it.
type Validator interface {
	// ValidateRequest checks r; it may consume r's body, which the fake
	// restores for the handler.
	ValidateRequest(r *http.Request) error
	// ValidateResponse checks the response given to r.
	ValidateResponse(r *http.Request, status int, header http.Header, body []byte) error
}

// Config configures a [Server]. The zero value is usable.
type Config struct {
	// AppID is the application ID and the bot user's ID; default [DefaultAppID].
	AppID string
	// BotName is the bot user's username; default [DefaultBotName].
	BotName string
	// Token, when set, is the only token accepted, with or without its
	// "Bot " prefix: REST requests with another answer 401, an IDENTIFY with
	// another is closed with 4004. When empty any "Bot ..." token is accepted.
	Token string
	// HeartbeatInterval is sent in HELLO; default 500ms. discordgo heartbeats
	// at this interval and reconnects after 5 intervals without an ACK.
	HeartbeatInterval time.Duration
	// AckDeadline is how long after an INTERACTION_CREATE reaches the bot its
	// callback is accepted (Discord: 3s); later callbacks get 404 Unknown
	// interaction (10062). Default 3s; negative disables the check.
	AckDeadline time.Duration
	// GuildID and ChannelID are the defaults for dispatch specs;
	// defaults [DefaultGuildID] and [DefaultChannelID].
	GuildID, ChannelID string
	// Validator checks every REST request and response; nil checks nothing.
	Validator Validator
}

func (c Config) withDefaults() Config {
	if c.AppID == "" {
		c.AppID = DefaultAppID
	}
	if c.BotName == "" {
		c.BotName = DefaultBotName
	}
	if c.HeartbeatInterval <= 0 {
		c.HeartbeatInterval = 500 * time.Millisecond
	}
	if c.AckDeadline == 0 {
		c.AckDeadline = 3 * time.Second
	}
	if c.GuildID == "" {
		c.GuildID = DefaultGuildID
	}
	if c.ChannelID == "" {
		c.ChannelID = DefaultChannelID
	}
	return c
}

// Server is a fake Discord: REST API, gateway and the state behind them.
// Its methods are safe for concurrent use.
type Server struct {
	tb        testing.TB
	cfg       Config
	api       *httptest.Server
	gw        *httptest.Server
	mux       *http.ServeMux
	transport *http.Transport
	start     time.Time
	order     atomic.Int64 // orders requests and frames in the transcript
	ids       snowflakes
	wg        sync.WaitGroup // gateway connection handlers
	closeOnce sync.Once

	// sendMu serialises gateway dispatch writes so frames leave in sequence order.
	sendMu sync.Mutex

	mu      sync.Mutex
	changed chan struct{} // closed and replaced whenever something is recorded
	closed  bool

	requests []Request
	frames   []Frame
	errs     []error
	faults   []*fault

	channels     map[string]*channel
	messages     map[string][]*message // by channel ID, oldest first
	interactions map[string]*interaction
	commands     map[string][]*command // by guild ID, "" for global
	users        map[string]User

	sessions map[string]*gwSession
	session  *gwSession // the latest identified session
	conns    map[*gwConn]struct{}
	stats    GatewayStats
	intents  int64 // of the latest IDENTIFY
}

// New starts a fake Discord for the test and closes it in tb.Cleanup.
func New(tb testing.TB, cfg Config) *Server {
	tb.Helper()
	cfg = cfg.withDefaults()
	s := &Server{
		tb:           tb,
		cfg:          cfg,
		start:        time.Now(),
		changed:      make(chan struct{}),
		channels:     make(map[string]*channel),
		messages:     make(map[string][]*message),
		interactions: make(map[string]*interaction),
		commands:     make(map[string][]*command),
		users:        make(map[string]User),
		sessions:     make(map[string]*gwSession),
		conns:        make(map[*gwConn]struct{}),
	}
	s.users[cfg.AppID] = User{ID: cfg.AppID, Username: cfg.BotName, Bot: true}
	s.users[DefaultUserID] = User{ID: DefaultUserID, Username: DefaultUsername}
	s.addChannelLocked(&channel{ID: cfg.ChannelID, Type: channelGuildText, GuildID: cfg.GuildID, Name: "general"})

	s.mux = s.routes()
	s.api = httptest.NewServer(http.HandlerFunc(s.serveAPI))
	s.gw = httptest.NewServer(http.HandlerFunc(s.serveGateway))
	s.transport = &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     30 * time.Second,
	}
	tb.Cleanup(s.Close)
	return s
}

// Close stops both servers, closing gateway connections abruptly. It is
// idempotent and called by tb.Cleanup; call it earlier to check for leaks.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		conns := make([]*gwConn, 0, len(s.conns))
		for c := range s.conns {
			conns = append(conns, c)
		}
		s.mu.Unlock()
		for _, c := range conns {
			_ = c.ws.Close()
		}
		s.wg.Wait()
		s.gw.Close()
		s.api.Close()
		s.transport.CloseIdleConnections()
	})
}

// APIBase is the REST base URL, "http://127.0.0.1:PORT/api/v9".
func (s *Server) APIBase() string { return s.api.URL + "/api/v9" }

// GatewayURL is the websocket URL that GET /gateway returns.
func (s *Server) GatewayURL() string { return "ws" + strings.TrimPrefix(s.gw.URL, "http") }

// AppID is the application ID, which is also the bot user's ID.
func (s *Server) AppID() string { return s.cfg.AppID }

// HTTPClient returns a client whose transport sends requests for
// discord.com (and its subdomains) to the fake and refuses any other host.
func (s *Server) HTTPClient() *http.Client {
	return &http.Client{
		Transport: rewriteTransport{base: s.transport, host: strings.TrimPrefix(s.api.URL, "http://")},
		Timeout:   20 * time.Second,
	}
}

// rewriteTransport rewrites the scheme and host of Discord URLs to the fake.
type rewriteTransport struct {
	base http.RoundTripper
	host string
}

// RoundTrip implements [http.RoundTripper].
func (t rewriteTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == t.host {
		return t.base.RoundTrip(r)
	}
	h := r.URL.Hostname()
	if h != "discord.com" && !strings.HasSuffix(h, ".discord.com") && h != "discordapp.com" {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, fmt.Errorf("fakediscord: refusing request to %s outside the fake", r.URL.Host)
	}
	r2 := r.Clone(r.Context())
	r2.URL.Scheme = "http"
	r2.URL.Host = t.host
	r2.Host = t.host
	return t.base.RoundTrip(r2)
}

// notifyLocked wakes everything waiting in WaitFor and friends; s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitUntil calls cond under s.mu whenever something changes, until it
// returns true or ctx ends.
func (s *Server) waitUntil(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ok := cond()
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("fakediscord: wait: %w", ctx.Err())
		}
	}
}

// addError records a problem for Errors and AssertValid.
func (s *Server) addError(err error) {
	s.mu.Lock()
	s.errs = append(s.errs, err)
	s.notifyLocked()
	s.mu.Unlock()
}

// Errors returns the spec violations and protocol problems seen so far: requests or
// responses the [Validator] rejected, routes the fake does not serve, and
// malformed gateway payloads.
func (s *Server) Errors() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.errs...)
}

// AssertValid fails the test with every error in [Server.Errors] and the transcript.
func (s *Server) AssertValid(tb testing.TB) {
	tb.Helper()
	errs := s.Errors()
	if len(errs) == 0 {
		return
	}
	var b strings.Builder
	for _, err := range errs {
		fmt.Fprintf(&b, "\n  - %v", err)
	}
	tb.Errorf("fakediscord: %d errors:%s\ntranscript:\n%s", len(errs), b.String(), s.Transcript())
}

// snowflakes generates increasing Discord snowflake IDs.
type snowflakes struct {
	mu   sync.Mutex
	last uint64
}

const discordEpochMilli = 1420070400000

func (g *snowflakes) next() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	id := uint64(time.Now().UnixMilli()-discordEpochMilli)<<22 | 1<<17
	if id <= g.last {
		id = g.last + 1
	}
	g.last = id
	return fmt.Sprint(id)
}

// timestamp formats t as Discord does, e.g. 2024-05-01T12:00:00.000000+00:00.
func timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000-07:00")
}
