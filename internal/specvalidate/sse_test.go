package specvalidate

import (
	"slices"
	"testing"
)

func TestSSEData(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"empty", "", nil},
		{"one event", "data: {}\n\n", []string{"{}"}},
		{"no space", "data:{}\n\n", []string{"{}"}},
		{"crlf", "data: a\r\n\r\ndata: b\r\n\r\n", []string{"a", "b"}},
		{"multi-line data", "data: a\ndata: b\n\n", []string{"a\nb"}},
		{"comments and fields", ": ping\nevent: x\nid: 1\ndata: a\n\n", []string{"a"}},
		{"event without data", "event: x\n\ndata: a\n\n", []string{"a"}},
		{"unterminated event", "data: a\n\ndata: b\n", []string{"a"}},
		{"unfinished line", "data: a\n\ndata: {\"id\":", []string{"a"}},
		{"done", "data: a\n\ndata: [DONE]\n\n", []string{"a", "[DONE]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sseData([]byte(tt.body)); !slices.Equal(got, tt.want) {
				t.Errorf("sseData(%q) = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
}
