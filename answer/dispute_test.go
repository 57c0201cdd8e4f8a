package answer

import "testing"

func TestWithoutDispute(t *testing.T) {
	t.Parallel()
	tests := []struct {
		question, want string
		disputed       bool
	}{
		{"Did the drones hit the depot at Rampur on 9 May? what's each side saying", "Did the drones hit the depot at Rampur on 9 May?", true},
		{"what did the shells hit in Uri on 8 May - army posts or homes? depends who you ask", "what did the shells hit in Uri on 8 May - army posts or homes?", true},
		{"how many were killed in the raid on Kotli? need both sides' numbers", "how many were killed in the raid on Kotli?", true},
		{"When did the truce start? The two governments tell it differently.", "When did the truce start?", true},
		{"what time did the guns fall silent, local time? the papers don't seem to agree", "what time did the guns fall silent, local time?", true},
		{"Was the airfield at Sirsa damaged? What does each side say?", "Was the airfield at Sirsa damaged?", true},
		// The sides named alone are what the question asks about.
		{"Trump offered to mediate on Kashmir - are both countries on board with that?", "", false},
		// A clause about the event that also asks for versions stays.
		{"Each side blames the other - what's each one's version of what ended the shelling?", "what's each one's version of what ended the shelling?", true},
		// Nothing but the dispute: its words are all the question has.
		{"What does each side say happened?", "", false},
		{"Did Pakistan agree to talks at a neutral venue?", "", false},
	}
	for _, tt := range tests {
		got, ok := withoutDispute(tt.question)
		if ok != tt.disputed {
			t.Errorf("withoutDispute(%q) disputed = %v, want %v (got %q)", tt.question, ok, tt.disputed, got)
			continue
		}
		want := tt.want
		if !tt.disputed {
			want = tt.question
		}
		if got != want {
			t.Errorf("withoutDispute(%q) = %q, want %q", tt.question, got, want)
		}
	}
}
