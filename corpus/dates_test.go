package corpus_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
)

// thursday is the reference date of most date tests: Thursday 1 May 2025.
var thursday = time.Date(2025, time.May, 1, 0, 0, 0, 0, time.UTC)

// day returns midnight UTC of the given day.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// renderDate writes a mention compactly for table tests: "7 May:
// 2025-05-07", "this week: 2025-04-28..2025-05-04 week rel", "5 pm on
// Saturday: 2025-04-26 17:00", "7 May: 0000-05-07 noyear".
func renderDate(text string, d corpus.EventDate) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", text[d.Start:d.End], d.From.Format("2006-01-02"))
	if !d.To.Equal(d.From) {
		b.WriteString(".." + d.To.Format("2006-01-02"))
	}
	if d.Precision != corpus.DayPrecision {
		b.WriteString(" " + d.Precision.String())
	}
	if d.Relative {
		b.WriteString(" rel")
	}
	if !d.YearKnown {
		b.WriteString(" noyear")
	}
	if d.Part != "" {
		b.WriteString(" part=" + d.Part)
	}
	if d.Clock != "" {
		b.WriteString(" " + d.Clock)
	}
	if d.Zone != "" {
		b.WriteString(" " + d.Zone)
	}
	return b.String()
}

// renderDates renders every mention of text.
func renderDates(text string, dates []corpus.EventDate) []string {
	var got []string
	for _, d := range dates {
		got = append(got, renderDate(text, d))
	}
	return got
}

// dateCase is one table test of [corpus.ExtractDates].
type dateCase struct {
	text string
	want []string
}

// runDateCases runs table tests of [corpus.ExtractDates] against ref.
func runDateCases(t *testing.T, ref time.Time, cases []dateCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			got := renderDates(tc.text, corpus.ExtractDates(tc.text, ref))
			if !slices.Equal(got, tc.want) {
				t.Errorf("ExtractDates(%q, %s)\n got %q\nwant %q", tc.text, ref.Format("Mon 2006-01-02"), got, tc.want)
			}
		})
	}
}

func TestExtractDatesAbsolute(t *testing.T) {
	runDateCases(t, thursday, []dateCase{
		{"India struck nine sites on 7 May.", []string{"7 May: 2025-05-07"}},
		{"on 7 May 2025 at dawn", []string{"7 May 2025: 2025-05-07"}},
		{"on May 7 the strikes began", []string{"May 7: 2025-05-07"}},
		{"on May 7, 2025, the strikes began", []string{"May 7, 2025: 2025-05-07"}},
		{"the attack of 22 April 2025", []string{"22 April 2025: 2025-04-22"}},
		{"on the 7th of May", []string{"7th of May: 2025-05-07"}},
		{"on May 7th", []string{"May 7th: 2025-05-07"}},
		{"Sept. 12 and Oct 3", []string{"Sept. 12: 2024-09-12", "Oct 3: 2024-10-03"}},
		{"fighting on 7-8 May", []string{"7-8 May: 2025-05-07..2025-05-08"}},
		{"fighting on 7–8 May", []string{"7–8 May: 2025-05-07..2025-05-08"}},
		{"killed between 7 and 10 May", []string{"7 and 10 May: 2025-05-07..2025-05-10"}},
		{"from 7 to 10 May", []string{"7 to 10 May: 2025-05-07..2025-05-10"}},
		{"on May 7-8", []string{"May 7-8: 2025-05-07..2025-05-08"}},
		{"from 30 April to 2 May", []string{"30 April to 2 May: 2025-04-30..2025-05-02"}},
		{"on 7, 8 and 9 May", []string{"7: 2025-05-07", "8: 2025-05-08", "9 May: 2025-05-09"}},
		{"on 7 and 8 May", []string{"7: 2025-05-07", "8 May: 2025-05-08"}},
		{"the strikes of May 2025", []string{"May 2025: 2025-05-01..2025-05-31 month"}},
		{"in April the valley was full", []string{"April: 2025-04-01..2025-04-30 month"}},
		{"The talks in May were brief.", []string{"May: 2025-05-01..2025-05-31 month"}},
		{"the May fighting", []string{"May: 2025-05-01..2025-05-31 month"}},
		{"April's attack shocked India.", []string{"April: 2025-04-01..2025-04-30 month"}},
		{"Modi left early in April", []string{"early in April: 2025-04-01..2025-04-10 month part=early"}},
		{"in May and June", []string{"May: 2025-05-01..2025-05-31 month", "June: 2025-06-01..2025-06-30 month"}},
		{"from April to June", []string{"April to June: 2025-04-01..2025-06-30 month"}},
		{"He left in October.", []string{"October: 2024-10-01..2024-10-31 month"}},
		{"in early May", []string{"early May: 2025-05-01..2025-05-10 month part=early"}},
		{"by mid-May", []string{"mid-May: 2025-05-11..2025-05-20 month part=mid"}},
		{"in late April", []string{"late April: 2025-04-21..2025-04-30 month part=late"}},
		{"at the end of April", []string{"the end of April: 2025-04-21..2025-04-30 month part=late"}},
		{"in the first week of June", []string{"the first week of June: 2025-06-01..2025-06-07 week"}},
		{"in the last week of April", []string{"the last week of April: 2025-04-24..2025-04-30 week"}},
		{"ISO 2025-05-07 it says", []string{"2025-05-07: 2025-05-07"}},
		{"dated 25/04/2025", []string{"25/04/2025: 2025-04-25"}},
		{"dated 07/05/2025, near the reference", []string{"07/05/2025: 2025-05-07"}},
		{"dated 05/06/2025, far from either reading", nil},
		{"Those holding medical visas have until Tuesday, 29 April.", []string{"Tuesday, 29 April: 2025-04-29"}},
		{"on Monday, May 12", []string{"Monday, May 12: 2025-05-12"}},
		{"since 1960", []string{"1960: 1960-01-01..1960-12-31 year"}},
		{"the 2019 bombing at Pulwama", []string{"2019: 2019-01-01..2019-12-31 year"}},
		{"in the 1990s", []string{"1990s: 1990-01-01..1999-12-31 year"}},
		{"the 2024-25 budget", []string{"2024-25: 2024-01-01..2025-12-31 year"}},
		{"between 2020 and 2022", []string{"2020 and 2022: 2020-01-01..2022-12-31 year"}},
		{"in March 2025", []string{"March 2025: 2025-03-01..2025-03-31 month"}},
		{"by mid-2025", []string{"mid-2025: 2025-05-01..2025-08-31 year part=mid"}},
		{"trade fell in 1999-2000", []string{"1999-2000: 1999-01-01..2000-12-31 year"}},
		{"from 30 April–2 May", []string{"30 April–2 May: 2025-04-30..2025-05-02"}},
		{"on May 10 (Saturday) at noon", []string{"May 10 (Saturday) at noon: 2025-05-10 12:00"}},
		{"said on Wednesday (May 7) that", []string{"Wednesday (May 7): 2025-05-07"}},
		{"on 22nd April 2025", []string{"22nd April 2025: 2025-04-22"}},
		{"elections are due in October next year", []string{"October next year: 2026-10-01..2026-10-31 month rel"}},
		{"on 7 May last year", []string{"7 May last year: 2024-05-07"}},
	})
}

func TestExtractDatesNegatives(t *testing.T) {
	runDateCases(t, thursday, []dateCase{
		{"India may respond at a time of its choosing.", nil},
		{"May God give them strength.", nil},
		{"Theresa May said little.", nil},
		{"Protesters plan a march to Delhi.", nil},
		{"Theresa May's government fell.", nil},
		{"26 tourists were killed at Pahalgam.", nil},
		{"missiles with a range of 1,000 km", nil},
		{"India struck 9 sites and 11 soldiers died.", nil},
		{"the revocation of Section 370", nil},
		{"F-16 jets and PL-15 missiles", nil},
		{"the index fell 3.5 per cent", nil},
		{"about 2000 troops moved", nil},
		{"a score of 2:15 in the final", nil},
		{"Jan said nothing.", nil},
		{"two days after the attack", nil},
		{"the day before the vote", nil},
		{"a 69-year-old missionary for the third night in a row", nil},
		{"The call came at 15:35 hours.", nil},
		{"The committee meets every Tuesday.", nil},
		{"Markets are closed on Sundays.", nil},
		{"It recalled the 26/11 attacks and AK-47 rifles, open 24/7.", nil},
		{"Room 1405 and about 1,900 people", nil},
	})
}

func TestExtractDatesWeekdays(t *testing.T) {
	runDateCases(t, thursday, []dateCase{
		{"India said on Wednesday that it had struck.", []string{"Wednesday: 2025-04-30 rel"}},
		{"on Thursday, the day of publication", []string{"Thursday: 2025-05-01 rel"}},
		{"since last Thursday", []string{"last Thursday: 2025-04-24 rel"}},
		{"closed last Wednesday", []string{"last Wednesday: 2025-04-30 rel"}},
		{"They meet next Thursday.", []string{"next Thursday: 2025-05-08 rel"}},
		{"The council will meet on Wednesday.", []string{"Wednesday: 2025-05-07 rel"}},
		{"The minister is due to visit on Thursday.", []string{"Thursday: 2025-05-01 rel"}},
		{"Talks are scheduled for Monday.", []string{"Monday: 2025-05-05 rel"}},
		{"She is expected to confer the rank at a ceremony at the presidency on Friday.", []string{"Friday: 2025-05-02 rel"}},
		{"The ministry asked states to hold drills on Saturday.", []string{"Saturday: 2025-05-03 rel"}},
		{"The council was to hold consultations on Monday.", []string{"Monday: 2025-05-05 rel"}},
		{"Airports stay closed until Saturday morning.", []string{"Saturday morning: 2025-05-03 rel part=morning"}},
		{"On Monday, the council will meet again.", []string{"Monday: 2025-05-05 rel"}},
		{"On Monday, the council said it will meet again.", []string{"Monday: 2025-04-28 rel"}},
		{"India will respond after Pakistan attacked on Monday.", []string{"Monday: 2025-04-28 rel"}},
		{"drills went ahead on Wednesday evening", []string{"Wednesday evening: 2025-04-30 rel part=evening"}},
		{"the ministry said late on Tuesday", []string{"late on Tuesday: 2025-04-29 rel part=late"}},
		{"landed early on Wednesday morning", []string{"early on Wednesday morning: 2025-04-30 rel part=early morning"}},
		{"in the early hours of Wednesday", []string{"the early hours of Wednesday: 2025-04-30 rel part=early hours"}},
		{"asked on Tuesday evening, Washington time, he said", []string{"Tuesday evening, Washington time: 2025-04-29 rel part=evening Washington time"}},
		{"since Wednesday's strikes", []string{"Wednesday: 2025-04-30 rel"}},
		{"explosions on Saturday night", []string{"Saturday night: 2025-04-26..2025-04-27 rel part=night"}},
		{"from Monday to Wednesday", []string{"Monday to Wednesday: 2025-04-28..2025-04-30 rel"}},
		{"between Friday and Sunday", []string{"Friday and Sunday: 2025-04-25..2025-04-27 rel"}},
		{"overnight from Sunday into Monday", []string{"overnight from Sunday into Monday: 2025-04-27..2025-04-28 rel part=night"}},
		{"fire overnight into Wednesday", []string{"overnight into Wednesday: 2025-04-29..2025-04-30 rel part=night"}},
		{"on Tuesday and Thursday", []string{"Tuesday: 2025-04-29 rel", "Thursday: 2025-05-01 rel"}},
		{"The talks, which began on Tuesday, are expected to continue.", []string{"Tuesday: 2025-04-29 rel"}},
		{"Talks that will resume on Tuesday began on Monday.", []string{"Tuesday: 2025-05-06 rel", "Monday: 2025-04-28 rel"}},
		{"The shelling lasted until Tuesday.", []string{"Tuesday: 2025-04-29 rel"}},
		{"Airports were closed until Saturday.", []string{"Saturday: 2025-05-03 rel"}},
	})
}

func TestExtractDatesRelative(t *testing.T) {
	runDateCases(t, thursday, []dateCase{
		{"Pakistan today closed its airspace.", []string{"today: 2025-05-01 rel"}},
		{"Pakistan yesterday closed its airspace.", []string{"yesterday: 2025-04-30 rel"}},
		{"yesterday morning", []string{"yesterday morning: 2025-04-30 rel part=morning"}},
		{"Talks resume tomorrow.", []string{"tomorrow: 2025-05-02 rel"}},
		{"He speaks tonight.", []string{"tonight: 2025-05-01..2025-05-02 rel part=night"}},
		{"explosions echoed last night", []string{"last night: 2025-04-30..2025-05-01 rel part=night"}},
		{"drones were shot down overnight", []string{"overnight: 2025-04-30..2025-05-01 rel part=night"}},
		{"Modi will fly back overnight.", []string{"overnight: 2025-05-01..2025-05-02 rel part=night"}},
		{"firing continued through the previous night", []string{"the previous night: 2025-04-30..2025-05-01 rel part=night"}},
		{"firing had stopped the night before.", []string{"the night before: 2025-04-30..2025-05-01 rel part=night"}},
		{"They had met the day before.", []string{"the day before: 2025-04-30 rel"}},
		{"the day before yesterday", []string{"the day before yesterday: 2025-04-29 rel"}},
		{"this morning", []string{"this morning: 2025-05-01 rel part=morning"}},
		{"at 15:35 hours this afternoon", []string{"15:35 hours this afternoon: 2025-05-01 rel part=afternoon 15:35"}},
		{"this week", []string{"this week: 2025-04-28..2025-05-04 week rel"}},
		{"earlier this week", []string{"earlier this week: 2025-04-28..2025-04-30 week rel"}},
		{"later this week", []string{"later this week: 2025-05-02..2025-05-04 week rel"}},
		{"Vance said last week", []string{"last week: 2025-04-21..2025-04-27 week rel"}},
		{"next week", []string{"next week: 2025-05-05..2025-05-11 week rel"}},
		{"early next week", []string{"early next week: 2025-05-05..2025-05-07 week rel part=early"}},
		{"this month's fighting", []string{"this month: 2025-05-01..2025-05-31 month rel"}},
		{"last month's attack", []string{"last month: 2025-04-01..2025-04-30 month rel"}},
		{"next month", []string{"next month: 2025-06-01..2025-06-30 month rel"}},
		{"this year", []string{"this year: 2025-01-01..2025-12-31 year rel"}},
		{"last year", []string{"last year: 2024-01-01..2024-12-31 year rel"}},
		{"last May", []string{"last May: 2024-05-01..2024-05-31 month rel"}},
		{"next May", []string{"next May: 2026-05-01..2026-05-31 month rel"}},
		{"this June", []string{"this June: 2025-06-01..2025-06-30 month rel"}},
		{"late last week", []string{"late last week: 2025-04-24..2025-04-27 week rel part=late"}},
		{"two days ago", []string{"two days ago: 2025-04-29 rel"}},
		{"a week ago", []string{"a week ago: 2025-04-24 rel"}},
		{"three months ago", []string{"three months ago: 2025-02-01..2025-02-28 month rel"}},
		{"three days earlier", []string{"three days earlier: 2025-04-28 rel"}},
		{"On 7 May India struck; three days earlier it had warned.", []string{"7 May: 2025-05-07", "three days earlier: 2025-05-04 rel"}},
		{"On 7 May India struck, and the day before it had warned.", []string{"7 May: 2025-05-07", "the day before: 2025-05-06 rel"}},
		{"On 7 May India struck, and the next day it paused.", []string{"7 May: 2025-05-07", "the next day: 2025-05-08 rel"}},
		{"On 7 May India struck. That night drones came.", []string{"7 May: 2025-05-07", "That night: 2025-05-07..2025-05-08 rel part=night"}},
		{"The next day it paused.", nil},
		{"A week earlier, on 30 April, Pakistan had warned.", []string{"30 April: 2025-04-30"}},
		{"in 1959 and the same year", []string{"1959: 1959-01-01..1959-12-31 year", "the same year: 1959-01-01..1959-12-31 year rel"}},
		{"spent the past 48 hours", []string{"the past 48 hours: 2025-04-29..2025-05-01 rel"}},
		{"over the past week", []string{"the past week: 2025-04-24..2025-05-01 week rel"}},
		{"over the weekend", []string{"the weekend: 2025-04-26..2025-04-27 rel"}},
		{"this weekend", []string{"this weekend: 2025-05-03..2025-05-04 rel"}},
		{"on the night of 7 May", []string{"the night of 7 May: 2025-05-07..2025-05-08 part=night"}},
		{"on the night of 6-7 May", []string{"the night of 6-7 May: 2025-05-06..2025-05-07 part=night"}},
		{"on the afternoon of 10 May", []string{"the afternoon of 10 May: 2025-05-10 part=afternoon"}},
		{"on the intervening night of May 6 and 7", []string{"the intervening night of May 6 and 7: 2025-05-06..2025-05-07 part=night"}},
		{"through the night between 7 and 8 May", []string{"the night between 7 and 8 May: 2025-05-07..2025-05-08 part=night"}},
		{"drones on the nights of 8 and 9 May", []string{"the nights of 8: 2025-05-08..2025-05-09 part=night", "9 May: 2025-05-09..2025-05-10 part=night"}},
		{"due at the end of the month", []string{"the end of the month: 2025-05-21..2025-05-31 month rel part=late"}},
	})
	runDateCases(t, day(2025, 5, 10), []dateCase{
		{"earlier this month", []string{"earlier this month: 2025-05-01..2025-05-09 month rel"}},
		{"later this month", []string{"later this month: 2025-05-11..2025-05-31 month rel"}},
	})
}

// TestExtractDatesAfter checks that a sentence counts from the day the
// sentences before it last named: a report names the day once.
func TestExtractDatesAfter(t *testing.T) {
	t.Parallel()
	prior := day(2025, 5, 10)
	for _, tc := range []dateCase{
		{"Later the same day, Trump announced a ceasefire.", []string{"the same day: 2025-05-10 rel"}},
		{"The next day, it held.", []string{"The next day: 2025-05-11 rel"}},
		{"That night explosions were heard in Srinagar.", []string{"That night: 2025-05-10..2025-05-11 rel part=night"}},
		{"Three days later the talks resumed.", []string{"Three days later: 2025-05-13 rel"}},
		{"The DGMO called at 15:35 Indian time.", []string{"15:35 Indian time: 2025-05-10 rel 15:35 Indian time"}},
		// The sentence's own day comes first, and a plural is no day.
		{"On 7 May India struck, and the next day it paused.", []string{"7 May: 2025-05-07", "the next day: 2025-05-08 rel"}},
		{"It held in the following days.", nil},
		// Mentions that count from the day of writing still do.
		{"Pakistan yesterday closed its airspace.", []string{"yesterday: 2025-04-30 rel"}},
	} {
		got := renderDates(tc.text, corpus.ExtractDatesAfter(tc.text, thursday, prior))
		if !slices.Equal(got, tc.want) {
			t.Errorf("ExtractDatesAfter(%q, after 10 May)\n got %q\nwant %q", tc.text, got, tc.want)
		}
	}
	// Without a day before, an anchorless mention is dropped as before.
	if got := corpus.ExtractDatesAfter("The next day, it held.", thursday, time.Time{}); got != nil {
		t.Errorf("with no day before: %v, want none", got)
	}
}

// TestChunkDatesCarry checks that the index dates a sentence by the day an
// earlier paragraph named.
func TestChunkDatesCarry(t *testing.T) {
	t.Parallel()
	a := corpus.Article{ID: "x", Published: day(2025, 5, 11), Text: "In the early hours of 10 May, Pakistan announced an operation.\n\n" +
		"Later the same day, the two countries agreed to a ceasefire.\n\nWithin hours, explosions were reported in Srinagar that night."}
	var got []string
	for _, p := range corpus.Chunk(a, corpus.ChunkOptions{MaxSentences: 1}) {
		for _, d := range p.Dates {
			got = append(got, renderDate(a.Text, d.EventDate))
		}
	}
	want := []string{"the early hours of 10 May: 2025-05-10 part=early hours", "the same day: 2025-05-10 rel", "that night: 2025-05-10..2025-05-11 rel part=night"}
	if !slices.Equal(got, want) {
		t.Errorf("dates\n got %q\nwant %q", got, want)
	}
}

func TestExtractDatesTimes(t *testing.T) {
	runDateCases(t, thursday, []dateCase{
		{"firing stops at 17:00 IST on 10 May", []string{"17:00 IST on 10 May: 2025-05-10 17:00 IST"}},
		{"it began at 5 pm on Saturday", []string{"5 pm on Saturday: 2025-04-26 rel 17:00"}},
		{"at 4:30 pm PKT on Saturday", []string{"4:30 pm PKT on Saturday: 2025-04-26 rel 16:30 PKT"}},
		{"at 4:30pm on 10 May", []string{"4:30pm on 10 May: 2025-05-10 16:30"}},
		{"at 4.30 pm on 10 May", []string{"4.30 pm on 10 May: 2025-05-10 16:30"}},
		{"with effect from 1700 hours on 10 May", []string{"1700 hours on 10 May: 2025-05-10 17:00"}},
		{"at 0100 hrs on 7 May", []string{"0100 hrs on 7 May: 2025-05-07 01:00"}},
		{"at 5 p.m. (1130 GMT) on Saturday", []string{"5 p.m. (1130 GMT) on Saturday: 2025-04-26 rel 11:30 GMT"}},
		{"at 8am on 9 May", []string{"8am on 9 May: 2025-05-09 08:00"}},
		{"at 5:29 am on 15 May", []string{"5:29 am on 15 May: 2025-05-15 05:29"}},
		{"shortly after midnight on Wednesday", []string{"midnight on Wednesday: 2025-04-30 rel 00:00"}},
		{"until noon on 9 May", []string{"noon on 9 May: 2025-05-09 12:00"}},
		{"until midday on Saturday", []string{"midday on Saturday: 2025-05-03 rel 12:00"}},
		{"on 12 May at 12:00", []string{"12 May at 12:00: 2025-05-12 12:00"}},
		{"on Saturday at 17:00 local time", []string{"Saturday at 17:00 local time: 2025-04-26 rel 17:00 local time"}},
		{"at 8 am Washington time on 10 May", []string{"8 am Washington time on 10 May: 2025-05-10 08:00 Washington time"}},
		{"from 1700 hours Indian Standard Time on 10 May", []string{"1700 hours Indian Standard Time on 10 May: 2025-05-10 17:00 Indian Standard Time"}},
		{"On 9 May, the firing stopped at 5 pm.", []string{"9 May: 2025-05-09", "5 pm: 2025-05-09 17:00"}},
		{"called at 15:35 on Saturday, and the two agreed to stop at 17:00.", []string{"15:35 on Saturday: 2025-04-26 rel 15:35", "17:00: 2025-04-26 rel 17:00"}},
		{"broadcast at 8 pm, on the treaty held in abeyance since 23 April", []string{"23 April: 2025-04-23"}},
		{"at 1 am on the night of 6-7 May", []string{"1 am on the night of 6-7 May: 2025-05-06..2025-05-07 part=night 01:00"}},
		{"The index rose 3.50 on 7 May.", []string{"7 May: 2025-05-07"}},
	})
}

func TestExtractDatesYearBoundary(t *testing.T) {
	jan := day(2025, 1, 5) // a Sunday
	dec := day(2024, 12, 20)
	runDateCases(t, jan, []dateCase{
		{"the attack on 28 December", []string{"28 December: 2024-12-28"}},
		{"talks in December", []string{"December: 2024-12-01..2024-12-31 month"}},
		{"from 30 December to 2 January", []string{"30 December to 2 January: 2024-12-30..2025-01-02"}},
		{"last week", []string{"last week: 2024-12-23..2024-12-29 week rel"}},
		{"last month", []string{"last month: 2024-12-01..2024-12-31 month rel"}},
		{"on Monday", []string{"Monday: 2024-12-30 rel"}},
	})
	runDateCases(t, dec, []dateCase{
		{"the summit is due on 3 January", []string{"3 January: 2025-01-03"}},
		{"the visit on 3 January", []string{"3 January: 2025-01-03"}},
		{"in March", []string{"March: 2025-03-01..2025-03-31 month"}},
		{"next month", []string{"next month: 2025-01-01..2025-01-31 month rel"}},
	})
	runDateCases(t, day(2025, 4, 23), []dateCase{
		{"the pilgrimage is due to begin on 3 July", []string{"3 July: 2025-07-03"}},
		{"The budget, to be presented on 10 July, will raise spending.", []string{"10 July: 2025-07-10"}},
		{"militants attacked a convoy on 3 July", []string{"3 July: 2024-07-03"}},
		{"on 29 February", []string{"29 February: 2024-02-29"}},
	})
}

func TestExtractDatesNoReference(t *testing.T) {
	var none time.Time
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"on Wednesday", nil},
		{"yesterday and last week", nil},
		{"on 7 May", []string{"7 May: 0000-05-07 noyear"}},
		{"on 29 February", []string{"29 February: 0000-02-29 noyear"}},
		{"on 7 May 2025", []string{"7 May 2025: 2025-05-07"}},
		{"in April", []string{"April: 0000-04-01..0000-04-30 month noyear"}},
		{"since 2019", []string{"2019: 2019-01-01..2019-12-31 year"}},
		{"On 7 May India struck; the day before it warned.", []string{"7 May: 0000-05-07 noyear", "the day before: 0000-05-06 rel noyear"}},
		{"from 30 December to 2 January", []string{"30 December to 2 January: 0000-12-30..0001-01-02 noyear"}},
		{"at 5 pm on 7 May", []string{"5 pm on 7 May: 0000-05-07 noyear 17:00"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			got := renderDates(tc.text, corpus.ExtractDates(tc.text, none))
			if !slices.Equal(got, tc.want) {
				t.Errorf("ExtractDates(%q, zero)\n got %q\nwant %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestParseQuestionDates(t *testing.T) {
	now := day(2026, 3, 1)
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"What happened on 9 May?", []string{"9 May: 0000-05-09 noyear"}},
		{"What happened in May?", []string{"May: 0000-05-01..0000-05-31 month noyear"}},
		{"What happened on 9 May 2025?", []string{"9 May 2025: 2025-05-09"}},
		{"What happened yesterday?", []string{"yesterday: 2026-02-28 rel"}},
		{"What did Pakistan say last May?", []string{"last May: 2025-05-01..2025-05-31 month rel"}},
		{"Who may have ordered the strikes?", nil},
		// Chat writes months in lower case; after a day or before a
		// year the month is meant, elsewhere the verb.
		{"what happened on 9 may?", []string{"9 may: 0000-05-09 noyear"}},
		{"what happened on 9 may 2025?", []string{"9 may 2025: 2025-05-09"}},
		{"what did pakistan say in may 2025?", []string{"may 2025: 2025-05-01..2025-05-31 month"}},
		{"the 9 may march on delhi", []string{"9 may: 0000-05-09 noyear"}},
		{"who may 2 ministers have met?", nil},
		{"9may", nil},
		{"they may march on delhi", nil},
	} {
		t.Run(tc.q, func(t *testing.T) {
			got := renderDates(tc.q, corpus.ParseQuestionDates(tc.q, now))
			if !slices.Equal(got, tc.want) {
				t.Errorf("ParseQuestionDates(%q)\n got %q\nwant %q", tc.q, got, tc.want)
			}
		})
	}
}

func TestEventDateOverlaps(t *testing.T) {
	one := func(text string, ref time.Time) corpus.EventDate {
		t.Helper()
		ds := corpus.ExtractDates(text, ref)
		if len(ds) != 1 {
			t.Fatalf("ExtractDates(%q) = %d mentions, want 1", text, len(ds))
		}
		return ds[0]
	}
	question := func(q string) corpus.EventDate {
		t.Helper()
		ds := corpus.ParseQuestionDates(q, day(2026, 3, 1))
		if len(ds) != 1 {
			t.Fatalf("ParseQuestionDates(%q) = %d mentions, want 1", q, len(ds))
		}
		return ds[0]
	}
	for _, tc := range []struct {
		name string
		a, b corpus.EventDate
		want bool
	}{
		{"same day", one("on 9 May", thursday), one("on 9 May 2025", thursday), true},
		{"next day", one("on 9 May", thursday), one("on 10 May 2025", thursday), false},
		{"a night covers the next day", one("the night of 7 May", thursday), question("on 8 May"), true},
		{"a week covers its days", one("this week", thursday), one("on 30 April", thursday), true},
		{"question without a year matches any year", question("on 9 May"), one("on 9 May", thursday), true},
		{"and does not match another day", question("on 9 May"), one("on 10 May", thursday), false},
		{"either side may lack the year", one("on 9 May", thursday), question("on 9 May"), true},
		{"year-less range over the new year", one("from 30 December to 2 January", time.Time{}), one("on 1 January 2025", thursday), true},
		{"year-less range over the new year, outside", one("from 30 December to 2 January", time.Time{}), one("on 5 January 2025", thursday), false},
		{"month and day", question("in May"), one("on 7 May", thursday), true},
		{"years", one("since 2019", thursday), one("in May 2019", thursday), true},
		{"years apart", one("since 2019", thursday), one("in May 2020", thursday), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.a.Overlaps(tc.b); got != tc.want {
				t.Errorf("%v.Overlaps(%v) = %v, want %v", tc.a, tc.b, got, tc.want)
			}
			if got := tc.b.Overlaps(tc.a); got != tc.want {
				t.Errorf("%v.Overlaps(%v) = %v, want %v (reversed)", tc.b, tc.a, got, tc.want)
			}
		})
	}
}

func TestEventDateString(t *testing.T) {
	for _, tc := range []struct {
		text string
		ref  time.Time
		want string
	}{
		{"on Wednesday", thursday, "Wednesday, 30 April 2025"},
		{"on Tuesday evening, Washington time", day(2025, 5, 7), "Tuesday evening, 6 May 2025, Washington time"},
		{"in the early hours of Wednesday", day(2025, 5, 7), "early hours of Wednesday, 7 May 2025"},
		{"late on Tuesday", day(2025, 5, 7), "late Tuesday, 6 May 2025"},
		{"on the night of 6-7 May", thursday, "night of 6 May 2025 (into 7 May)"},
		{"last night", day(2025, 5, 11), "night of 10 May 2025 (into 11 May)"},
		{"between 5 and 11 May", thursday, "5–11 May 2025"},
		{"from 30 April to 2 May", thursday, "30 April – 2 May 2025"},
		{"from 30 December to 2 January", day(2025, 1, 5), "30 December 2024 – 2 January 2025"},
		{"in April", thursday, "April 2025"},
		{"in early May", thursday, "early May 2025"},
		{"next week", thursday, "5–11 May 2025"},
		{"early next week", thursday, "early in the week of 5–11 May 2025"},
		{"at 17:00 IST on 10 May", thursday, "Saturday, 10 May 2025, 17:00 IST"},
		{"since 2019", thursday, "2019"},
		{"in the 1990s", thursday, "1990–1999"},
		{"in early 2025", thursday, "early 2025"},
		{"on 7 May", time.Time{}, "7 May"},
		{"on the night of 7 May", time.Time{}, "night of 7 May (into 8 May)"},
		{"on the evening of 7 May", time.Time{}, "evening of 7 May"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			ds := corpus.ExtractDates(tc.text, tc.ref)
			if len(ds) != 1 {
				t.Fatalf("ExtractDates(%q) = %q, want one mention", tc.text, renderDates(tc.text, ds))
			}
			if got := ds[0].String(); got != tc.want {
				t.Errorf("ExtractDates(%q)[0].String() = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

// TestExtractDatesNoDateAllocates checks the fast path: a sentence with
// nothing that could be a date costs no allocation.
func TestExtractDatesNoDateAllocates(t *testing.T) {
	text := "Officials said the government would respond firmly to any provocation along the border."
	if n := testing.AllocsPerRun(100, func() { corpus.ExtractDates(text, thursday) }); n != 0 {
		t.Errorf("ExtractDates on a sentence without dates: %v allocations, want 0", n)
	}
}

// FuzzExtractDates checks that any text gives mentions in order, inside the
// text, with From not after To.
func FuzzExtractDates(f *testing.F) {
	for _, s := range []string{
		"on 7 May", "between 7 and 10 May 2025", "at 5 p.m. (1130 GMT) on Saturday",
		"overnight from Sunday into Monday", "the day before yesterday", "2025-05-07",
		"07/05/2025", "the first week of June", "May 7, 8 and", "at 4:30pm", "last 24",
		"Wednesday’s", "the end of the", "7th of", "1990s", "12:", "a.m.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, dates := range [][]corpus.EventDate{
			corpus.ExtractDates(text, thursday),
			corpus.ExtractDates(text, time.Time{}),
			corpus.ParseQuestionDates(text, thursday),
		} {
			prev := -1
			for _, d := range dates {
				if d.Start < 0 || d.End > len(text) || d.Start >= d.End || d.Start < prev {
					t.Fatalf("%q: mention [%d,%d) out of order or out of bounds", text, d.Start, d.End)
				}
				if d.To.Before(d.From) {
					t.Fatalf("%q: %v ends before it starts", text, d)
				}
				if !d.Overlaps(d) {
					t.Fatalf("%q: %v does not overlap itself", text, d)
				}
				_ = d.String()
				prev = d.Start
			}
		}
	})
}

// v2Corpus is the shared evaluation corpus, beside the repository.
const v2Corpus = "../../shared/eval/v2/corpus"

// loadV2 loads the shared evaluation corpus, or skips the test when it is
// absent.
func loadV2(tb testing.TB) []corpus.Article {
	tb.Helper()
	if _, err := os.Stat(v2Corpus); err != nil {
		tb.Skipf("no shared evaluation corpus: %v", err)
	}
	res, err := corpus.LoadDir(context.Background(), v2Corpus, corpus.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return res.Articles
}

// describeDate renders one mention for a golden file.
func describeDate(text string, d corpus.EventDate) string {
	flags := []string{d.Precision.String()}
	if d.Relative {
		flags = append(flags, "relative")
	}
	if !d.YearKnown {
		flags = append(flags, "no year")
	}
	if d.Part != "" {
		flags = append(flags, "part="+d.Part)
	}
	return fmt.Sprintf("%q → %s [%s] %s..%s", text[d.Start:d.End], d, strings.Join(flags, " "),
		d.From.Format("2006-01-02"), d.To.Format("2006-01-02"))
}

// TestExtractDatesV2 resolves the dates of every sentence of the shared
// evaluation corpus against its article's published date and compares them
// with testdata/dates.golden, which is read by eye for errors.
func TestExtractDatesV2(t *testing.T) {
	var b strings.Builder
	for _, a := range loadV2(t) {
		fmt.Fprintf(&b, "## %s, published %s\n", a.ID, a.Published.Format("Monday 2006-01-02"))
		for _, sp := range corpus.SplitSentences(a.Text) {
			sentence := a.Text[sp.Start:sp.End]
			dates := corpus.ExtractDates(sentence, a.Published)
			if len(dates) == 0 {
				continue
			}
			fmt.Fprintf(&b, "> %s\n", strings.ReplaceAll(sentence, "\n", " "))
			for _, d := range dates {
				fmt.Fprintf(&b, "    %s\n", describeDate(sentence, d))
			}
		}
		b.WriteString("\n")
	}
	golden(t, "dates.golden", []byte(b.String()))
}

// benchSentences returns n synthetic news sentences, most without a date,
// as a corpus has them: about one in three names a day, a time or a
// period.
func benchSentences(n int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	subjects := []string{"India", "Pakistan's military", "The foreign ministry", "Officials in Islamabad", "The army", "Residents of Poonch"}
	verbs := []string{"said", "denied", "confirmed", "reported", "warned", "announced"}
	rest := []string{
		"that the strikes had hit militant camps and not civilian areas",
		"that 26 people had been killed and 46 wounded in the attacks",
		"that it would respond at a time and place of its choosing",
		"that the ceasefire along the Line of Control was holding",
		"that missiles with a range of 1,000 km had been tested",
		"that airspace would remain closed to Indian airlines",
	}
	dates := []string{
		"on Wednesday", "on 7 May", "late on Tuesday", "at 5 pm on Saturday", "last week",
		"overnight", "between 7 and 10 May", "in the early hours of Thursday", "at 17:00 IST on 10 May",
		"two days ago", "earlier this month", "on the night of 9 May",
	}
	out := make([]string, n)
	for i := range out {
		s := subjects[r.IntN(len(subjects))] + " " + verbs[r.IntN(len(verbs))]
		if r.IntN(3) == 0 {
			s += " " + dates[r.IntN(len(dates))]
		}
		out[i] = s + " " + rest[r.IntN(len(rest))] + "."
	}
	return out
}

// BenchmarkExtractDates measures ExtractDates per sentence, on synthetic
// sentences and, when it is present, on the shared evaluation corpus.
func BenchmarkExtractDates(b *testing.B) {
	run := func(b *testing.B, sentences []string, ref time.Time) {
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			for _, s := range sentences {
				corpus.ExtractDates(s, ref)
			}
			n += len(sentences)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/sentence")
	}
	b.Run("synthetic", func(b *testing.B) { run(b, benchSentences(1000), thursday) })
	b.Run("no-date", func(b *testing.B) {
		run(b, []string{"Officials said the government would respond firmly to any provocation along the border."}, thursday)
	})
	b.Run("v2", func(b *testing.B) {
		var sentences []string
		var ref time.Time
		for _, a := range loadV2(b) {
			for _, sp := range corpus.SplitSentences(a.Text) {
				sentences = append(sentences, a.Text[sp.Start:sp.End])
			}
			ref = a.Published
		}
		run(b, sentences, ref)
	})
}
