// Package fetchtest holds what tests need of the fetch package and
// production code must not have: only a test, holding a [testing.TB], can
// let a fetcher reach the loopback servers [net/http/httptest] starts.
// Importing it from a non-test file would pull package testing into the
// binary, which `go list -deps ./cmd/crisisbot` would show.
package fetchtest

import (
	"net/netip"
	"testing"

	"github.com/crisisbot/crisisbot/internal/fetch"
)

// AllowLoopback returns an option that lets a [fetch.Fetcher] connect to
// loopback addresses (127.0.0.0/8 and ::1), so a test can fetch from an
// httptest server. Every other address is judged by [fetch.PublicOnly]:
// private, link-local and the other forbidden ranges stay refused, and so
// does loopback dressed as IPv4-mapped IPv6 (::ffff:127.0.0.1), which
// production code would never dial on purpose.
func AllowLoopback(tb testing.TB) fetch.Option {
	if tb == nil {
		panic("fetchtest: AllowLoopback needs the test's testing.TB")
	}
	tb.Helper()
	return fetch.WithAddressPolicy(func(ip netip.Addr) error {
		if (ip.Is4() && ip.IsLoopback()) || ip == netip.IPv6Loopback() {
			return nil
		}
		return fetch.PublicOnly(ip)
	})
}
