package fakediscord

import (
	"errors"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// NewSession returns a discordgo Session for the bot token ("Bot " is
// prepended) wired to srv: REST goes through [Server.HTTPClient] and the
// gateway address comes from the fake's GET /gateway. 502s are retried at most
// twice (429s are always retried: discordgo has no cap for them). Open is left
// to the caller. The session is closed in tb.Cleanup, before srv is, after
// [WaitSettled].
func NewSession(tb testing.TB, srv *Server, token string) *discordgo.Session {
	tb.Helper()
	s, err := discordgo.New("Bot " + token)
	if err != nil {
		tb.Fatalf("discordgo.New: %v", err)
	}
	s.Client = srv.HTTPClient()
	s.MaxRestRetries = 2
	tb.Cleanup(func() {
		if srv.sessionLive() {
			if err := WaitSettled(srv, s, 5*time.Second); err != nil {
				tb.Logf("fakediscord: closing an unsettled session: %v", err)
			}
		}
		_ = s.Close()
	})
	return s
}

// sessionLive reports whether the bot has a gateway session it has not
// closed: connected, or dropped and expected back.
func (s *Server) sessionLive() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.closed && s.session != nil && s.session.resumable
}

// WaitSettled waits up to timeout until s is connected to srv and its
// heartbeat goroutine has sent its first heartbeat (Session.DataReady).
// Close a discordgo v0.29.0 Session only then: Close holds the session lock
// for a second, and a heartbeat goroutine that has not yet written finds its
// connection closed afterwards and calls reconnect, which reopens the session
// or, once the server is gone, retries forever in a leaked goroutine. The
// same happens to a reconnect that is under way when Close is called.
func WaitSettled(srv *Server, s *discordgo.Session, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		s.RLock()
		ready := s.DataReady
		s.RUnlock()
		if ready && srv.Stats().Connected {
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("fakediscord: session not connected and heartbeating")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
