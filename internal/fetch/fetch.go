// Package fetch downloads web pages for crisisbot without letting a pasted
// URL reach inside the machine or its network: only http and https, no
// user info, and — checked on the address actually dialled, for the first
// request and after every redirect — only public internet addresses, with
// a size and a time cap. The page's article is read by [corpus.ParsePage],
// the same reader a file handed over for adding goes through.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/usererr"
)

// Defaults for the zero fields of [Config].
const (
	// DefaultMaxBytes is the default [Config.MaxBytes]: 5 MiB.
	DefaultMaxBytes = 5 << 20
	// DefaultTimeout is the default [Config.Timeout].
	DefaultTimeout = 20 * time.Second
	// DefaultMaxRedirects is the default [Config.MaxRedirects].
	DefaultMaxRedirects = 5
	// DefaultUserAgent is the default [Config.UserAgent].
	DefaultUserAgent = "crisisbot/1.0 (+https://github.com/crisisbot/crisisbot)"
)

// ErrForbiddenAddress is wrapped by the error [Fetcher.Fetch] returns when a
// URL, a redirect or a host name leads to an address crisisbot must not
// connect to: loopback, private, link-local (cloud metadata services among
// them), unspecified, multicast, carrier-grade NAT or otherwise reserved.
var ErrForbiddenAddress = errors.New("forbidden address")

// Config bounds what a [Fetcher] downloads. Zero fields take the
// defaults.
type Config struct {
	// MaxBytes is the largest body read, after decompression; default 5 MiB.
	MaxBytes int64
	// Timeout bounds the whole fetch, redirects and body included; default
	// 20s.
	Timeout time.Duration
	// MaxRedirects is how many redirects are followed; default 5, and a
	// negative value follows none.
	MaxRedirects int
	// UserAgent is sent with every request; default [DefaultUserAgent].
	UserAgent string
}

// AddressPolicy decides whether a [Fetcher] may connect to ip: nil allows
// it, an error — wrapping [ErrForbiddenAddress], and saying why — refuses
// it. It sees the address of every connection before it is made, and any
// IP address written as a URL's host.
type AddressPolicy func(ip netip.Addr) error

// Option changes a [Fetcher] beyond its [Config].
type Option func(*Fetcher)

// WithAddressPolicy replaces [PublicOnly], the policy every [Fetcher]
// starts with. Production code has no reason to: it exists so that tests
// can fetch from a loopback server (see fetchtest.AllowLoopback) while the
// rest of the checks stay as they are.
func WithAddressPolicy(p AddressPolicy) Option {
	return func(f *Fetcher) {
		if p != nil {
			f.policy = p
		}
	}
}

// Fetcher downloads news pages safely: it refuses schemes other than http
// and https, URLs with user info, and — checked on the address actually
// dialled, for the first request and every redirect — addresses inside the
// machine or its private network, so a URL pasted by a user cannot make
// crisisbot reach internal services. A Fetcher is safe for concurrent use.
type Fetcher struct {
	cfg       Config
	policy    AddressPolicy
	transport *http.Transport
}

// New returns a [Fetcher] with cfg's limits. It ignores proxy
// settings in the environment: a proxy would dial on crisisbot's behalf and
// bypass the address checks.
func New(cfg Config, opts ...Option) *Fetcher {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	switch {
	case cfg.MaxRedirects == 0:
		cfg.MaxRedirects = DefaultMaxRedirects
	case cfg.MaxRedirects < 0:
		cfg.MaxRedirects = 0
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	f := &Fetcher{cfg: cfg, policy: PublicOnly}
	for _, o := range opts {
		o(f)
	}
	dialer := &net.Dialer{
		Timeout:   cfg.Timeout,
		KeepAlive: -1,
		Control:   f.controlDial,
	}
	f.transport = &http.Transport{
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    cfg.Timeout,
		DisableKeepAlives:      true,
		MaxResponseHeaderBytes: 1 << 20,
	}
	return f
}

// Fetch downloads the page at rawURL and reads its article with
// [corpus.ParsePage]. It fails — saying what was refused and why, with a
// message for people (see [usererr.Message]) — on a URL or redirect it may
// not follow, an address it may not connect to (wrapping
// [ErrForbiddenAddress]), too many redirects, an HTTP error status, a
// content type other than HTML or plain text, a body over
// [Config.MaxBytes], a fetch taking longer than [Config.Timeout], and a
// page with too little text to be an article.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) (corpus.Page, error) {
	body, ct, display, final, err := f.get(ctx, rawURL, "text/html,application/xhtml+xml,text/plain;q=0.9", "page", checkContentType)
	if err != nil {
		return corpus.Page{}, err
	}
	page, err := corpus.ParsePage(final, body, ct)
	if err != nil {
		if final != display {
			return corpus.Page{}, fmt.Errorf("fetch %s (redirected to %s): %w", display, final, err)
		}
		return corpus.Page{}, fmt.Errorf("fetch %s: %w", display, err)
	}
	return page, nil
}

// Download fetches the raw bytes at rawURL under the same rules as
// [Fetcher.Fetch] — schemes, addresses, redirects, size and time — but
// whatever the content type, for files whose name says what they are (a
// Discord attachment). It returns the body and its content type.
func (f *Fetcher) Download(ctx context.Context, rawURL string) ([]byte, string, error) {
	body, ct, _, _, err := f.get(ctx, rawURL, "*/*", "file", func(string) error { return nil })
	return body, ct, err
}

// get downloads rawURL, checking its content type with checkType, and
// returns the body, the content type, the URL as shown in errors, and the
// final URL after redirects. noun ("page", "file") names what is fetched
// in the messages for people.
func (f *Fetcher) get(ctx context.Context, rawURL, accept, noun string, checkType func(string) error) (body []byte, ct, display, final string, err error) {
	u, err := f.checkURL(rawURL)
	if err != nil {
		return nil, "", "", "", fmt.Errorf("fetch %s: %w", displayURL(rawURL, u), err)
	}
	display = u.Redacted()

	tctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(tctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", display, "", usererr.Wrap(fmt.Errorf("fetch %s: %w", display, err), "That is not a web link crisisbot can fetch.")
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", accept)
	client := &http.Client{Transport: f.transport, CheckRedirect: f.checkRedirect}

	resp, err := client.Do(req)
	if err != nil {
		return nil, "", display, "", f.describe(ctx, tctx, display, noun, err)
	}
	defer resp.Body.Close()
	final = resp.Request.URL.String()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, "", display, final, usererr.Wrap(fmt.Errorf("fetch %s: server answered %s", display, resp.Status),
			fmt.Sprintf("That %s could not be fetched: the server answered %d.", noun, resp.StatusCode))
	}
	ct = resp.Header.Get("Content-Type")
	if err := checkType(ct); err != nil {
		return nil, ct, display, final, fmt.Errorf("fetch %s: %w", display, err)
	}
	tooLarge := fmt.Sprintf("That %s is larger than the %s limit.", noun, corpus.ByteSize(f.cfg.MaxBytes))
	if resp.ContentLength > f.cfg.MaxBytes {
		return nil, ct, display, final, usererr.Wrap(fmt.Errorf("fetch %s: body of %s is over the %s limit", display, corpus.ByteSize(resp.ContentLength), corpus.ByteSize(f.cfg.MaxBytes)), tooLarge)
	}
	body, err = io.ReadAll(io.LimitReader(resp.Body, f.cfg.MaxBytes+1))
	if err != nil {
		return nil, ct, display, final, f.describe(ctx, tctx, display, noun, fmt.Errorf("read body: %w", err))
	}
	if int64(len(body)) > f.cfg.MaxBytes {
		return nil, ct, display, final, usererr.Wrap(fmt.Errorf("fetch %s: body is over the %s limit", display, corpus.ByteSize(f.cfg.MaxBytes)), tooLarge)
	}
	return body, ct, display, final, nil
}

// describe turns an error from the HTTP client into one that says plainly
// what went wrong: a forbidden address (and whether a redirect led there), a
// refused redirect, the time limit, or a server that could not be reached.
func (f *Fetcher) describe(parent, tctx context.Context, display, noun string, err error) error {
	var ue *url.Error
	inner := err
	where := ""
	if errors.As(err, &ue) {
		inner = ue.Err
		if ue.URL != display {
			where = "redirect to " + ue.URL + ": "
		}
	}
	var ae *addrError
	var re *redirectError
	switch {
	case errors.As(inner, &re):
		return usererr.Wrap(fmt.Errorf("fetch %s: %w", display, re), re.message(noun, f.cfg.MaxRedirects))
	case errors.As(inner, &ae) && where != "":
		return usererr.Wrap(fmt.Errorf("fetch %s: %s%w", display, where, ae), msgRedirectNotPublic(noun))
	case errors.As(inner, &ae):
		return usererr.Wrap(fmt.Errorf("fetch %s: %w", display, ae), msgNotPublic)
	case parent.Err() == nil && errors.Is(tctx.Err(), context.DeadlineExceeded):
		return usererr.Wrap(fmt.Errorf("fetch %s: timed out after %s: %w", display, f.cfg.Timeout, context.DeadlineExceeded),
			fmt.Sprintf("That %s took longer than %s to arrive, so it was not fetched.", noun, f.cfg.Timeout))
	}
	return usererr.Wrap(fmt.Errorf("fetch %s: %s%w", display, where, inner),
		fmt.Sprintf("That %s could not be fetched: the server could not be reached.", noun))
}

// Messages for people about addresses that are not public.
const msgNotPublic = "That address is not public, so it can't be fetched."

func msgRedirectNotPublic(noun string) string {
	return fmt.Sprintf("That %s redirects to an address that is not public, so it can't be fetched.", noun)
}

// redirectError is a redirect [Fetcher.Fetch] refused to follow.
type redirectError struct {
	target string
	err    error
}

// Error says which redirect was refused and why.
func (e *redirectError) Error() string {
	if e.target == "" {
		return e.err.Error()
	}
	return fmt.Sprintf("redirect to %s: %v", e.target, e.err)
}

// Unwrap returns the reason.
func (e *redirectError) Unwrap() error { return e.err }

// message says for people why the redirect was not followed.
func (e *redirectError) message(noun string, max int) string {
	switch {
	case e.target == "":
		return fmt.Sprintf("That %s redirects too many times (more than %d).", noun, max)
	case errors.Is(e.err, ErrForbiddenAddress):
		return msgRedirectNotPublic(noun)
	}
	return fmt.Sprintf("That %s redirects to a link that can't be fetched (only public http and https links can).", noun)
}

// checkRedirect is the [http.Client.CheckRedirect] of a fetch: it enforces
// [Config.MaxRedirects] and checks the target like the first URL.
// Addresses behind host names are checked again when they are dialled.
func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.cfg.MaxRedirects {
		return &redirectError{err: fmt.Errorf("too many redirects: refused to follow more than %d", f.cfg.MaxRedirects)}
	}
	if _, err := f.checkURL(req.URL.String()); err != nil {
		return &redirectError{target: req.URL.Redacted(), err: err}
	}
	return nil
}

// checkURL parses rawURL and refuses what may not be fetched: schemes other
// than http and https, user info, a missing host, and hosts written as a
// forbidden IP address. Host names are checked when dialled.
func (f *Fetcher) checkURL(rawURL string) (*url.URL, error) {
	const notALink = "That is not a web link: give the whole address, starting https://."
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, usererr.Wrap(fmt.Errorf("not a valid URL: %w", err), notALink)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	case "":
		return u, usererr.Wrap(errors.New("not an absolute URL: it needs http:// or https://"), notALink)
	default:
		return u, usererr.Wrap(fmt.Errorf("scheme %q refused: only http and https are fetched", u.Scheme), "Only http and https links can be fetched.")
	}
	if u.User != nil {
		return u, usererr.Wrap(errors.New("user info (a name or password) in the URL refused"), "That link holds a name or password; give it without them.")
	}
	host := u.Hostname()
	if host == "" {
		return u, usererr.Wrap(errors.New("the URL has no host"), notALink)
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if err := f.policy(ip); err != nil {
			return u, usererr.Wrap(err, msgNotPublic)
		}
	}
	return u, nil
}

// controlDial is the [net.Dialer.Control] of a [Fetcher]: it runs after the
// host name is resolved and before the connection is made, so it checks the
// address actually dialled and a DNS answer that changes between checks
// (DNS rebinding) gains nothing.
func (f *Fetcher) controlDial(network, address string, _ syscall.RawConn) error {
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return fmt.Errorf("%w: network %q refused", ErrForbiddenAddress, network)
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot check address %q: %v", ErrForbiddenAddress, address, err)
	}
	return f.policy(ap.Addr())
}

// addrError is an address a [Fetcher] refused to connect to.
type addrError struct {
	addr   netip.Addr
	reason string
}

// Error says "address 10.0.0.1 is private".
func (e *addrError) Error() string { return fmt.Sprintf("address %s is %s", e.addr, e.reason) }

// Unwrap returns [ErrForbiddenAddress].
func (e *addrError) Unwrap() error { return ErrForbiddenAddress }

// PublicOnly is the [AddressPolicy] of every [Fetcher]: it allows public
// internet unicast addresses only, and refuses with an error wrapping
// [ErrForbiddenAddress] loopback, private, link-local (the cloud metadata
// service among them), unspecified, multicast, carrier-grade NAT and other
// reserved addresses, including IPv4 ones dressed as IPv6.
func PublicOnly(ip netip.Addr) error {
	if reason := forbiddenReason(ip); reason != "" {
		return &addrError{addr: ip, reason: reason}
	}
	return nil
}

// forbiddenReason says why ip is not a public internet address, or returns
// "" when it is one. IPv4-mapped IPv6 addresses are judged by their IPv4
// address, and NAT64 and 6to4 addresses by the IPv4 address they embed.
func forbiddenReason(ip netip.Addr) string {
	ip = ip.WithZone("")
	if !ip.IsValid() {
		return "not a valid address"
	}
	if ip.Is4In6() {
		if r := forbiddenReason(ip.Unmap()); r != "" {
			return r + " (IPv4-mapped " + ip.Unmap().String() + ")"
		}
		return ""
	}
	switch {
	case ip.IsUnspecified():
		return "unspecified"
	case ip.IsLoopback():
		return "loopback"
	case ip.IsPrivate():
		return "private"
	case ip == netip.AddrFrom4([4]byte{169, 254, 169, 254}):
		return "link-local (the cloud metadata service)"
	case ip.IsLinkLocalUnicast():
		return "link-local"
	case ip.IsMulticast():
		return "multicast"
	}
	if ip.Is6() {
		b := ip.As16()
		switch {
		case netip.MustParsePrefix("64:ff9b::/96").Contains(ip):
			v4 := netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
			if r := forbiddenReason(v4); r != "" {
				return r + " (NAT64 for " + v4.String() + ")"
			}
			return ""
		case netip.MustParsePrefix("2002::/16").Contains(ip):
			v4 := netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})
			if r := forbiddenReason(v4); r != "" {
				return r + " (6to4 for " + v4.String() + ")"
			}
			return ""
		}
	}
	for _, r := range [...]struct{ prefix, reason string }{
		{"0.0.0.0/8", "reserved for \"this network\""},
		{"100.64.0.0/10", "in the carrier-grade NAT range"},
		{"192.0.0.0/24", "reserved for IETF protocol assignments"},
		{"192.0.2.0/24", "reserved for documentation"},
		{"198.51.100.0/24", "reserved for documentation"},
		{"203.0.113.0/24", "reserved for documentation"},
		{"192.88.99.0/24", "a reserved 6to4 relay address"},
		{"198.18.0.0/15", "reserved for benchmarking"},
		{"240.0.0.0/4", "reserved (or broadcast)"},
		{"::/96", "an IPv4-compatible IPv6 address (deprecated)"},
		{"::ffff:0:0:0/96", "an IPv4-translated address"},
		{"64:ff9b:1::/48", "reserved for local NAT64"},
		{"100::/64", "reserved for discarding"},
		{"2001::/23", "reserved for IETF protocol assignments"},
		{"2001:db8::/32", "reserved for documentation"},
		{"3fff::/20", "reserved for documentation"},
		{"fec0::/10", "site-local (deprecated)"},
	} {
		if netip.MustParsePrefix(r.prefix).Contains(ip) {
			return r.reason
		}
	}
	if !ip.IsGlobalUnicast() {
		return "not a global unicast address"
	}
	return ""
}

// displayURL names rawURL in messages without its password.
func displayURL(rawURL string, u *url.URL) string {
	if u != nil {
		return u.Redacted()
	}
	return strings.TrimSpace(rawURL)
}

// checkContentType accepts HTML, XHTML and plain text.
func checkContentType(ct string) error {
	if strings.TrimSpace(ct) == "" {
		return usererr.Wrap(errors.New("the server sent no content type; want text/html, application/xhtml+xml or text/plain"),
			"That page could not be read: the server did not say what kind of page it is.")
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return usererr.Wrap(fmt.Errorf("content type %q unreadable: %w", ct, err),
			"That page could not be read: the server did not say clearly what kind of page it is.")
	}
	switch mt {
	case "text/html", "application/xhtml+xml", "text/plain":
		return nil
	}
	return usererr.Wrap(fmt.Errorf("content type %s refused: want text/html, application/xhtml+xml or text/plain", mt),
		"That page is not HTML or plain text, so it can't be read as an article.")
}
