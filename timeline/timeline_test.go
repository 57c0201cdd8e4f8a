package timeline

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/retrieval"
)

// floodCorpus is a small crisis in invented places: two outlets report
// one dam burst with different tolls, one reports another event of the
// same day, and sentences carry a plan and a bound that are no events.
func floodCorpus() map[string]string {
	return map[string]string{
		"nh-dam.md": `---
title: Kestrel dam bursts in the Lowmarsh valley
source: Northern Herald
published: 2031-03-12
---
RIVERTON — Floodwaters broke through the Kestrel dam in the Lowmarsh valley on Monday, killing 14 villagers and cutting the valley road, officials said.

The army will begin clearing the valley road on 14 March.

Rescue teams from Riverton have searched the valley since 9 March.`,
		"sc-dam.md": `---
title: Governor gives Lowmarsh toll
source: Southern Courier
published: 2031-03-11
---
The Kestrel dam in the Lowmarsh valley burst on 10 March, killing 19 villagers and cutting the valley road, the governor said.`,
		"sc-bank.md": `---
title: Central bank moves on rates
source: Southern Courier
published: 2031-03-11
---
The central bank of Freeland raised its interest rates by half a point on 10 March, citing stubborn inflation in food prices.`,
		"nh-talks.md": `---
title: Talks on the river treaty
source: Northern Herald
published: 2031-03-20
---
Negotiators from both banks of the Kestrel river met in Riverton on 18 March to discuss the treaty that governs its waters.`,
	}
}

func TestBuildClustersOutletsAndFlagsFigures(t *testing.T) {
	t.Parallel()
	ix := indexOf(t, parse(t, floodCorpus()))
	events, err := Build(context.Background(), ix, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range events {
		lines = append(lines, Line(e))
	}
	all := strings.Join(lines, "\n")
	if len(events) != 3 {
		t.Fatalf("got %d events, want 3 (the dam, the bank, the talks):\n%s", len(events), all)
	}
	dam := events[0]
	if len(dam.Reports) != 2 {
		t.Fatalf("the dam burst has %d reports, want both outlets':\n%s", len(dam.Reports), all)
	}
	if got := dam.Date.From.Format("2006-01-02"); got != "2031-03-10" {
		t.Errorf("dam burst dated %s, want 2031-03-10", got)
	}
	if len(dam.Differ) != 1 || dam.Differ[0].Thing != "villagers" {
		t.Fatalf("differ = %+v, want the villagers' toll", dam.Differ)
	}
	if l := Line(dam); !strings.Contains(l, "Figures differ: villagers — 14 (Northern Herald · 12 March 2031), 19 (Southern Courier · 11 March 2031)") {
		t.Errorf("dam line does not flag the tolls as sources give them:\n%s", l)
	}
	if !strings.Contains(Line(events[1]), "central bank") {
		t.Errorf("second event is not the bank's, which shares only the day:\n%s", all)
	}
	for _, no := range []string{"clearing the valley road", "have searched"} {
		if strings.Contains(all, no) {
			t.Errorf("%q is a plan or a span, not an event, but is listed:\n%s", no, all)
		}
	}
	for i := 1; i < len(events); i++ {
		if events[i].Date.From.Before(events[i-1].Date.From) {
			t.Errorf("event %d is older than event %d", i, i-1)
		}
	}
}

func TestBuildNarrows(t *testing.T) {
	t.Parallel()
	ix := indexOf(t, parse(t, floodCorpus()))
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	tests := []struct {
		name string
		opts Options
		want []string // a word of each event's line, in order
	}{
		{"topic", Options{Topic: "interest rates"}, []string{"central bank"}},
		{"topic partly in headline", Options{Topic: "Lowmarsh toll"}, []string{"Kestrel dam"}},
		{"topic only in headline", Options{Topic: "toll"}, nil},
		{"from", Options{From: day("2031-03-11")}, []string{"Negotiators"}},
		{"to", Options{To: day("2031-03-10")}, []string{"Kestrel dam", "central bank"}},
		{"nothing", Options{Topic: "volcano"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events, err := Build(context.Background(), ix, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(events) != len(tt.want) {
				t.Fatalf("got %d events, want %d", len(events), len(tt.want))
			}
			for i, w := range tt.want {
				if l := Line(events[i]); !strings.Contains(l, w) {
					t.Errorf("event %d = %s, want one with %q", i, l, w)
				}
			}
		})
	}
	if _, err := Build(context.Background(), ix, Options{Topic: "the of and"}); !errors.Is(err, ErrEmptyTopic) {
		t.Errorf("a topic of stop words: err = %v, want ErrEmptyTopic", err)
	}
}

func TestFigures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string // value/thing
	}{
		{"gunmen killed 26 tourists and wounded 17 others", []string{"26/tourists", "17/others"}},
		{"shot down five Indian fighter jets and a drone", []string{"five/jets"}},
		{"35 to 40 Pakistani army personnel were killed", []string{"35 to 40/personnel"}},
		{"twenty-five of the dead were tourists", nil},
		{"a range of 450 kilometres, within 48 hours", nil},
		{"compensation of 1 million rupees", []string{"1 million/rupees"}},
		{"in 1971 the war", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range figures(&retrieval.TermCache{}, tt.in) {
			got = append(got, f.value+"/"+f.thing)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("figures(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseSince(t *testing.T) {
	t.Parallel()
	now := time.Date(2031, 3, 12, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"24h", now.Add(-24 * time.Hour), true},
		{"3d", now.AddDate(0, 0, -3), true},
		{"1w", now.AddDate(0, 0, -7), true},
		{"1d12h", now.Add(-36 * time.Hour), true},
		{"2031-03-10", time.Date(2031, 3, 10, 0, 0, 0, 0, time.UTC), true},
		{"10 March 2031", time.Date(2031, 3, 10, 0, 0, 0, 0, time.UTC), true},
		{"2031-03-12T08:00:00Z", time.Date(2031, 3, 12, 8, 0, 0, 0, time.UTC), true},
		{"2032-01-01", time.Time{}, false},
		{"soon", time.Time{}, false},
		{"-3h", time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := ParseSince(tt.in, now)
		if (err == nil) != tt.ok || !got.Equal(tt.want) {
			t.Errorf("ParseSince(%q) = %v, %v; want %v (ok %v)", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
