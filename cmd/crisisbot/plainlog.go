package main

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// plainHandler writes the few log lines a quiet terminal shows — warnings
// and errors — as a person reads them: "crisisbot: warning: 2 files
// skipped; crisisbot index lists them", with any attributes in brackets,
// and no time or level keys. A log asked for (-v, CRISISBOT_LOG_LEVEL,
// serve) is slog's text format instead.
type plainHandler struct {
	w      io.Writer
	mu     *sync.Mutex
	level  slog.Level
	prefix string // group names, each followed by "."
	attrs  []string
}

var _ slog.Handler = (*plainHandler)(nil)

func newPlainHandler(w io.Writer, level slog.Level) *plainHandler {
	return &plainHandler{w: w, mu: &sync.Mutex{}, level: level}
}

// Enabled implements [slog.Handler].
func (h *plainHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

// Handle implements [slog.Handler].
func (h *plainHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString("crisisbot: ")
	switch {
	case r.Level >= slog.LevelError:
		b.WriteString("error: ")
	case r.Level >= slog.LevelWarn:
		b.WriteString("warning: ")
	}
	b.WriteString(r.Message)
	attrs := append([]string(nil), h.attrs...)
	r.Attrs(func(a slog.Attr) bool {
		attrs = append(attrs, h.format(h.prefix, a)...)
		return true
	})
	if len(attrs) > 0 {
		b.WriteString(" (" + strings.Join(attrs, ", ") + ")")
	}
	b.WriteByte('\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}

// WithAttrs implements [slog.Handler].
func (h *plainHandler) WithAttrs(as []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append([]string(nil), h.attrs...)
	for _, a := range as {
		c.attrs = append(c.attrs, h.format(h.prefix, a)...)
	}
	return &c
}

// WithGroup implements [slog.Handler].
func (h *plainHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.prefix += name + "."
	return &c
}

// format renders a as key=value, a group as its members, quoting a value
// that holds spaces, quotes or anything a terminal would act on.
func (h *plainHandler) format(prefix string, a slog.Attr) []string {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		var out []string
		p := prefix
		if a.Key != "" {
			p += a.Key + "."
		}
		for _, m := range v.Group() {
			out = append(out, h.format(p, m)...)
		}
		return out
	}
	if a.Equal(slog.Attr{}) {
		return nil
	}
	s := v.String()
	if s == "" || strings.ContainsFunc(s, func(r rune) bool { return r == ' ' || r == '"' || r == '=' || !unicode.IsPrint(r) }) {
		s = strconv.Quote(s)
	}
	return []string{prefix + a.Key + "=" + s}
}
