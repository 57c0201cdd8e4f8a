package bot

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// NewDiscordSession returns a discordgo session for token whose REST calls
// go to apiBase instead of https://discord.com/api/v9: a rate-limit proxy, or
// a Discord-compatible test server. The gateway address then comes from
// apiBase's GET /gateway, as it does from Discord.
func NewDiscordSession(token, apiBase string) (*discordgo.Session, error) {
	if strings.TrimSpace(token) == "" {
		return nil, fmt.Errorf("discord: no token (set DISCORD_TOKEN)")
	}
	s, err := discordgo.New("Bot " + strings.TrimPrefix(token, "Bot "))
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	// discordgo retries 429s without limit by default; a few tries, then
	// the caller's error handling, keep a stuck route from stalling a
	// handler forever (each call also carries a context deadline).
	s.MaxRestRetries = 3
	if apiBase == "" || strings.TrimRight(apiBase, "/") == strings.TrimRight(discordgo.EndpointAPI, "/") {
		return s, nil
	}
	tr, err := newRewriteTransport(apiBase, http.DefaultTransport)
	if err != nil {
		return nil, err
	}
	s.Client = &http.Client{Transport: tr}
	return s, nil
}

// rewriteTransport sends requests meant for Discord's API to another base
// URL. discordgo's endpoints are package variables fixed at start-up, so
// the transport is where the base can change without touching them.
type rewriteTransport struct {
	from string // discordgo's API base, e.g. https://discord.com/api/v9/
	to   *url.URL
	next http.RoundTripper
}

func newRewriteTransport(apiBase string, next http.RoundTripper) (*rewriteTransport, error) {
	u, err := url.Parse(strings.TrimRight(apiBase, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("discord: API base %q must be an http(s) URL", apiBase)
	}
	return &rewriteTransport{from: strings.TrimRight(discordgo.EndpointAPI, "/") + "/", to: u, next: next}, nil
}

// RoundTrip implements [http.RoundTripper].
func (t *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	full := req.URL.String()
	if !strings.HasPrefix(full, t.from) {
		return t.next.RoundTrip(req)
	}
	rest := strings.TrimPrefix(full, t.from)
	target, err := url.Parse(t.to.String() + "/" + rest)
	if err != nil {
		return nil, fmt.Errorf("discord: rewrite %s: %w", req.URL.Path, err)
	}
	r := req.Clone(req.Context())
	r.URL = target
	r.Host = target.Host
	return t.next.RoundTrip(r)
}

// apiError makes err, from a REST call on s, name the address the call
// really went to. discordgo builds every request for discord.com and the
// transport rewrites it, so the *url.Error of a call that could not
// connect names discord.com even when --discord-api points elsewhere, and
// sends whoever reads it to look at the wrong host.
func apiError(s *discordgo.Session, err error) error {
	if err == nil || s == nil || s.Client == nil {
		return err
	}
	t, ok := s.Client.Transport.(*rewriteTransport)
	var ue *url.Error
	if ok && errors.As(err, &ue) && strings.HasPrefix(ue.URL, t.from) {
		// The error was made for this call alone: correcting it in place
		// changes what every wrapper around it says.
		ue.URL = t.to.String() + "/" + strings.TrimPrefix(ue.URL, t.from)
	}
	return err
}
