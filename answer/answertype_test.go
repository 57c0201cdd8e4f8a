package answer

import "testing"

func TestExpectedKind(t *testing.T) {
	tests := []struct {
		question string
		want     answerKind
	}{
		{"How many people were killed?", kindCount},
		{"how much aid did the US offer", kindCount},
		{"When did the ceasefire take effect?", kindTime},
		{"What time did the firing stop?", kindTime},
		{"How long was the league suspended for?", kindTime},
		{"And when did he call?", kindTime},
		{"Who announced the ceasefire?", kindAny},
		{"How did Pakistan respond?", kindAny},
		// Only the question's opening clause says what it asks.
		{"Who said how many people died?", kindAny},
		{"What did Rubio say when he called?", kindAny},
		{"", kindAny},
	}
	for _, tt := range tests {
		if got := expectedKind(tt.question); got != tt.want {
			t.Errorf("expectedKind(%q) = %d, want %d", tt.question, got, tt.want)
		}
	}
}

func TestAnswerKindFits(t *testing.T) {
	tests := []struct {
		kind answerKind
		text string
		want bool
	}{
		{kindCount, "26 people were killed.", true},
		{kindCount, "Twenty-six people were killed.", true},
		{kindCount, "Dozens were wounded.", true},
		{kindCount, "Several people were killed.", false},
		{kindCount, "India struck air bases near Rawalpindi.", false},
		{kindTime, "Firing stopped from 17:00 Indian time.", true},
		{kindTime, "The talks were held on Saturday.", true},
		{kindTime, "The league was suspended for a week.", true},
		{kindTime, "Both sides agreed to stop firing.", false},
		{kindAny, "Anything at all.", true},
	}
	for _, tt := range tests {
		if got := tt.kind.fits(tt.text); got != tt.want {
			t.Errorf("kind %d fits(%q) = %v, want %v", tt.kind, tt.text, got, tt.want)
		}
	}
}

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
