package answer

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
)

// onsetCorpus says when a truce began only as "from" a time, names a
// closed compound only as two words, counts with a synonym of a verb,
// places a count in a country the question does not ask about, and says
// a phrasal verb with another verb.
var onsetCorpus = fstest.MapFS{
	"truce.md": {Data: []byte(`---
title: Rivals agree to talks after a week of shelling
source: River Gazette
published: 2031-04-03
---
The two commanders spoke by telephone at 14:10 local time on Tuesday and agreed that both armies would stop all firing along the river from 16:00 local time.

Westmark shut its air space to Ostland's airlines on Wednesday.

A curfew was announced in the port towns on Monday.

Ostland struck four depots on the river during the night, and shelled two villages.

Air Norway said its flights to the port towns would resume.

Westmark expelled three Ostland diplomats on Tuesday.
`)},
	"border.md": {Data: []byte(`---
title: Norway accuses Sweden of flying drones over its border towns
source: Fjord Post
published: 2031-04-04
---
Norway said on Thursday that Sweden had flown drones over its border towns.

More than two dozen airports in northern Norway were closed to civilian flights.

Airlines cancelled 40 flights in northern Norway on Thursday.
`)},
}

func TestCompoundsAndOnsets(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, onsetCorpus, true)

	tests := []struct {
		question string
		// want are strings the answer holds, and not the ones it must
		// lack; empty want means it must refuse.
		want, lack []string
	}{
		// "Stop all firing" says "ceasefire", and "from 16:00" when it
		// took effect: that time answers, not the call's.
		{"When did the ceasefire take effect?", []string{"16:00", "[1]"}, []string{"14:10 local time:"}},
		{"At what time did the ceasefire come into force?", []string{"16:00"}, nil},
		// "Air space" is "airspace".
		{"When did Westmark shut its airspace?", []string{"Wednesday, 2 April 2031"}, nil},
		// The curfew was announced; nothing says when it began.
		{"When did the curfew take effect?", nil, nil},
		// Only "air" is said, not the compound's other part.
		{"When did Westmark shut its airports?", nil, nil},
		// "Struck four depots" counts what was hit: a synonym of the
		// asked verb governs the number. Shelled villages were not hit.
		{"How many depots did Ostland hit on the river?", []string{"four depots"}, nil},
		{"How many villages did Ostland hit on the river?", nil, nil},
		// Who closed the airports is not said, and they are Norway's: the
		// report names Sweden, but not as the one that shut them.
		{"How many airports did Sweden shut?", nil, nil},
		{"How many airports were closed in Norway?", []string{"two dozen airports"}, nil},
		// "Air Norway" is an airline, not Norway: the report on the
		// cancelled flights does not name it.
		{"How many flights did Air Norway cancel?", nil, nil},
		{"How many flights did airlines cancel in Norway?", []string{"40 flights"}, nil},
		// "Throw out" is said by "expelled", a synonym of the phrasal
		// verb, not of "throw"; the verb of another phrasal is not.
		{"When did Westmark throw out Ostland's diplomats?", []string{"expelled", "Tuesday, 1 April 2031"}, nil},
		{"When did Westmark call off Ostland's diplomats?", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			ans, err := e.Answer(context.Background(), Question{Text: tt.question}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(tt.want) == 0 {
				if !ans.Abstained {
					t.Fatalf("answered %q, want a refusal", ans.Text)
				}
				return
			}
			if ans.Abstained {
				t.Fatalf("refused (%s), want an answer", ans.Reason)
			}
			for _, w := range tt.want {
				if !strings.Contains(ans.Text, w) {
					t.Errorf("answer %q lacks %q", ans.Text, w)
				}
			}
			for _, w := range tt.lack {
				if strings.Contains(ans.Text, w) {
					t.Errorf("answer %q holds %q", ans.Text, w)
				}
			}
		})
	}
}
