package timeline

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/crisisbot/crisisbot/internal/usererr"
)

// dayLayouts are the ways a person writes a day for --from, --to and
// Discord's options.
var dayLayouts = []string{"2006-01-02", "2 January 2006", "2 Jan 2006", "January 2 2006", "Jan 2 2006", "2/1/2006"}

// ParseDay reads a calendar day: "2025-05-07", "7 May 2025", "May 7,
// 2025". The error says what forms are understood.
func ParseDay(s string) (time.Time, error) {
	clean := strings.Join(strings.Fields(strings.ReplaceAll(s, ",", " ")), " ")
	for _, l := range dayLayouts {
		if t, err := time.Parse(l, clean); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usererr.Wrap(fmt.Errorf("timeline: %q is not a date", s),
		fmt.Sprintf("“%s” is not a date I can read; write it as 2025-05-07 or 7 May 2025.", clip(s, 40)))
}

// ErrSinceFuture is wrapped by [ParseSince] for a moment after now.
var ErrSinceFuture = errors.New("the time is in the future")

// ParseSince reads when "what's new" starts, counted back from now: a
// duration ("24h", "90m", "3d", "2w", "1d12h") or a day or moment
// ("2025-05-07", "7 May 2025", "2025-05-07T08:00:00Z").
func ParseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if d, ok := parseSpan(s); ok {
		return now.Add(-d), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		if t, err = ParseDay(s); err != nil {
			return time.Time{}, usererr.Wrap(fmt.Errorf("since: %q is neither a duration nor a date", s),
				fmt.Sprintf("“%s” is neither a length of time (24h, 3d, 1w) nor a date (2025-05-07).", clip(s, 40)))
		}
	}
	if t.After(now) {
		return time.Time{}, usererr.Wrap(fmt.Errorf("since %s: %w", t.Format(time.RFC3339), ErrSinceFuture), "That time is in the future.")
	}
	return t, nil
}

// parseSpan reads a duration, with d for days and w for weeks besides
// what [time.ParseDuration] reads; it must be positive.
func parseSpan(s string) (time.Duration, bool) {
	var total time.Duration
	rest := strings.ToLower(s)
	for rest != "" {
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.') {
			i++
		}
		j := i
		for j < len(rest) && rest[j] >= 'a' && rest[j] <= 'z' {
			j++
		}
		if i == 0 || j == i {
			return 0, false
		}
		n, err := strconv.ParseFloat(rest[:i], 64)
		if err != nil {
			return 0, false
		}
		var unit time.Duration
		switch rest[i:j] {
		case "w":
			unit = 7 * 24 * time.Hour
		case "d":
			unit = 24 * time.Hour
		case "h":
			unit = time.Hour
		case "m":
			unit = time.Minute
		case "s":
			unit = time.Second
		default:
			return 0, false
		}
		total += time.Duration(n * float64(unit))
		rest = strings.TrimSpace(rest[j:])
	}
	return total, total > 0
}

// clip shortens s to n characters for a message.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
