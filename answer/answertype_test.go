package answer

import "testing"

func TestDropAskingWords(t *testing.T) {
	tests := []struct{ in, want string }{
		{"How long did the fighting last?", "How did the fighting last?"},
		{"how often did they call", "how did they call"},
		{"And how old is he?", "And how is he?"},
		{"How did Pakistan respond?", "How did Pakistan respond?"},
		{"Was the long-range missile fired?", "Was the long-range missile fired?"},
		{"how", "how"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := dropAskingWords(tt.in); got != tt.want {
			t.Errorf("dropAskingWords(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
