package answer

import (
	"context"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/retrieval"
)

// deskCorpus is a small corpus of invented reports from two sides that
// disagree, with dates given only relatively: what the checks must handle.
var deskCorpus = fstest.MapFS{
	"north-toll.md": {Data: []byte(`---
title: Army says 12 soldiers were killed in the border clashes
source: Northern Herald
published: 2031-03-14
---
The army said on Thursday that 12 of its soldiers had been killed in the clashes along the river border since Monday.

The ceasefire took effect at 18:00 local time on Wednesday, the army said. Two days before it, Mayor Ilse Brandt had said the port would stay open.

Mayor Ilse Brandt called Foreign Minister Piet Kaan of Westmark on Friday to say that Ostland was ready to talk.
`)},
	"south-toll.md": {Data: []byte(`---
title: Southern command puts the northern toll at 40 soldiers
source: Southern Courier
published: 2031-03-15
---
The southern command said on Friday that 40 northern soldiers had been killed in the fighting.

The ceasefire took effect at 17:30 local time on Wednesday, according to the southern command.

Officials closed the Delta bridge to traffic on Tuesday.
`)},
	"north-update.md": {Data: []byte(`---
title: Army revises its toll and says four jets were shot down
source: Northern Herald
published: 2031-03-20
---
The army said on Wednesday that 13 of its soldiers had been killed in the clashes, revising its earlier figure.

The air force said its pilots had shot down four southern jets over the river.

A senior army official said the Delta bridge would stay closed until the talks.

The Security Committee met on Monday to discuss the bridge. In a statement afterwards, the committee said the Delta bridge would carry only ambulances until April.

The southern air force flies Falcon fighters from two bases.

The government called the operation Storm Gate.

Westmark said its gunners had shot down three Ostland drones near the bridge.

Prime Minister Anna Kovac said the Delta bridge would be repaired by May, and thanked Westmark and Ostland for their help.

Observers from Ostland and Westmark said on Saturday that they had watched both bridges from the hills.

The defence ministry rejected the southern account on Thursday. "Our pilots flew no missions that night," a spokesman said. "The Delta bridge was never a target."
`)},
	"east-report.md": {Data: []byte(`---
title: Eastern militia says 9 fighters died in the night raid on the dam
source: Eastern Wire
published: 2031-03-16
---
The militia gave no further details of the raid.

Nine farmers were wounded near the Iron bridge on Thursday, the militia said.

"We will not ask for talks," a militia commander told Eastern Wire.

The interior ministry rejected the militia's account of the raid on the dam on Friday afternoon. "Our officers were at the dam all night and saw nothing of the kind that the militia describes in its statement," its spokesman said. "No raid took place."
`)},
	"west-bridges.md": {Data: []byte(`---
title: Westmark and Ostland trade fire across the river
source: Western Post
published: 2031-03-17
---
Westmark and Ostland traded fire across the river on Monday.

Officials closed the Iron bridge on Sunday.

The shelling on Monday wounded four villagers near the dam. By Tuesday two more had been hurt.

On Thursday the shelling killed three farmers and wounded nine near the Iron bridge.

Colonel Mira Dance of the engineers reopened the bridge on Saturday.

On Friday the army shelled the Kestrel bridge and then fired rockets at a bridge in Ostland.
`)},
	"marr.md": {Data: []byte(`---
title: The village of Marr buries its dead
source: Western Post
published: 2031-03-18
---
Ostlandi shells fell on the village of Marr on Monday, and five civilians died there. Most of the dead were farmers from Westmark; a Kestrani citizen was also among the victims.
`)},
	"west-briefing.md": {Data: []byte(`---
title: Westmark's commanders brief reporters on the river
source: Western Post
published: 2031-03-19
---
WESTGATE — Westmark's commanders gave their first joint briefing on Wednesday: the Director General of River Operations, Commodore Lena Vask, and the Deputy Director General of Air Operations, Colonel Piet Aro.

Asked whether the bridges would reopen, Commodore Vask said: "The river stays closed to all boats until the talks."

Colonel Aro said the air force had flown 40 missions over the river.

The Director General of Air Operations, Air Commodore Ines Halm, did not attend.

A Westmark trade delegation was expected in Ostland later this month, officials from Kestran and Westmark said.
`)},
	"harbour.md": {Data: []byte(`---
title: Harbour council rejects the Ostland Plan for the river port
source: Eastern Wire
published: 2031-03-21
---
After a long meeting of the Harbour Council on Friday, the council rejected the Ostland Plan for the river port and called it "the Greater Harbour Scheme by another name".

The meeting was chaired by Mayor Ilse Brandt.

Mayor Ilse Brandt announced compensation of 500 crowns for the family of each farmer killed in the shelling.

In Kestrel, the storm flooded 30 houses on Friday, and a barn was flooded in Marrow.

At 06:30 on Saturday, engineers opened the Kestrel bridge to carts.

State radio said there would be a meeting of the Westmark Trade Board on Sunday. Mayor Ilse Brandt told reporters later that no such meeting had been called or was planned for the spring.
`)},
	"east-visit.md": {Data: []byte(`---
title: Interior minister flies to the dam
source: Eastern Wire
published: 2031-03-22
---
Interior Minister Tomas Kell flew to the dam on Tuesday and was due to visit the Iron bridge on Wednesday.

State radio reported that Interior Minister Tomas Kell had ordered an inquiry into the raid.

General Oskar Kell Varga, the army chief, said the raid had been repelled.

Kell later said the dam was safe.

His aide Lars Holm said that Kell would not resign.

Rebels blew up a bridge near Solvik on Monday.

Ostland gunners shelled Westmark positions along the Grey Ridge on Monday.

Westmark reopened its border posts under the 2029 River Accord.

Ostland suspended the 2029 River Accord on Thursday.

Of the six border posts, two were in the hills.

Kell gave a 40-minute speech on Friday.

Ostland radio said on Sunday night that the dam gates had been opened.

The Lysa mail boat sailed in the early hours of 5 March 2031.

The Ostland-based Grey Wolves claimed the raid on the Solvik depot.

A drone alert sounded over Solvik on Tuesday.

On Tuesday, the Solvik match was stopped after a drone alert.

Ostland banned grain exports on Monday, while its gunners fired for six hours.

A shell killed the deputy mayor of the Solvik district on Monday.

Trade Minister Jon Varga said exports would resume in April.

Civil defence drills went ahead in 30 towns on Monday.

At a briefing on Tuesday, Kell said the dam road was closed. He said the ferry still ran.

Lars Holm said Kell was tired after the trip. He said the tour of the bridges would go on.

Kell's talks with Westmark failed on Friday, after his earlier talks with Ostland on the river had failed too.

Engineers closed the Iron bridge on Thursday because of cracks in its piers.

The two commanders spoke on Friday evening, after their call was moved to noon.

The council also kept Admiral Rask in command of the river fleet after the date on which his term had been due to end.
`)},
	"east-drones.md": {Data: []byte(`---
title: Army says gunners downed seven drones over the dam
source: Eastern Wire
published: 2031-03-18
---
Ostland's army said on Monday that its gunners had fired at Westmark drones all night.

One gunner said they had downed seven drones over the dam.
`)},
	"market.md": {Data: []byte(`---
title: Grain prices rise as the river trade stops
source: Trade Weekly
published: 2031-03-13
---
Grain prices rose by 8 per cent on Wednesday as barges stopped crossing the river.

The Solvik grain depot, 40 km upstream of the Iron bridge, has been closed since Monday, and the Marr silos are the largest on the river.

Ostland closed its airspace to Westmark airlines on Tuesday.

Fourteen ferries were wrecked in the storm at Kvarn on Friday, and 30 piers were damaged. Nine of the 14 were cargo ferries.

The Kvarn summit was held on 2 March 2031, and the Lysa accord was signed a week later, on 9 March 2031.
`)},
}

func deskExtractive(tb testing.TB) *Extractive {
	tb.Helper()
	lib := deskLibrary(tb)
	sim, err := retrieval.LoadSimilarity()
	if err != nil {
		tb.Fatal(err)
	}
	return NewExtractive(ExtractiveConfig{Similarity: sim, Thesaurus: loadThesaurus(tb)}, lib, nil)
}

// deskLibrary indexes deskCorpus in memory.
func deskLibrary(tb testing.TB) *retrieval.Library {
	tb.Helper()
	lib, err := retrieval.NewLibrary(retrieval.LibraryConfig{Settings: retrieval.Settings{Embedder: "hash-test"}}, retrieval.HashEmbedder(256),
		func(ctx context.Context) (*corpus.Result, error) {
			return corpus.Load(ctx, deskCorpus, corpus.Options{})
		}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := lib.Open(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return lib
}

func TestExtractiveChecks(t *testing.T) {
	t.Parallel()
	e := deskExtractive(t)
	tests := []struct {
		question string
		// want are strings the answer holds; empty means it must refuse.
		want []string
		// reason is part of the refusal's reason, when it refuses.
		reason string
	}{
		// Both sides' figures, each attributed, and as of when.
		{"How many soldiers were killed in the clashes?", []string{"Sources differ", "Northern Herald", "12", "Southern Courier", "40", "As of 15 March 2031"}, ""},
		// A clause asking how the sides tell it asks for both accounts; it
		// is no key word the sentences must hold.
		{"How many soldiers were killed in the clashes? what's each side saying", []string{"Sources differ", "Northern Herald", "Southern Courier"}, ""},
		{"When did officials close the Delta bridge - depends who you ask", []string{"Tuesday, 11 March 2031", "Only", "account answers this"}, ""},
		// Two times for one event are a disagreement too.
		{"At what time did the ceasefire take effect?", []string{"Sources differ", "18:00", "17:30"}, ""},
		// A "when" question gets the calendar date of "on Tuesday".
		{"When did officials close the Delta bridge?", []string{"Tuesday, 11 March 2031", "[1]"}, ""},
		// Every word is in the corpus, the answer is not: no count of
		// barges anywhere.
		{"How many barges crossed the river on Wednesday?", nil, "number of barges"},
		// A date the sources do not speak of.
		{"How many soldiers were killed on 2 February?", nil, "not about 2 February"},
		// The asked verb is nowhere: nobody reopened the bridge.
		{"When did officials reopen the Delta bridge?", nil, "reopen"},
		// A number attached to another thing is no count of this one.
		{"How many civilians were killed in the clashes?", nil, "civilians"},
		// One speaker's later figure is a revision, not a second side: the
		// newest leads.
		{"How many soldiers did the army say were killed in the clashes?", []string{"Latest: Northern Herald (20 March 2031)", "13", "earlier: Northern Herald (14 March 2031)", "12"}, ""},
		// Jets are counted, Falcons are not: the report names them only
		// elsewhere.
		{"How many Falcon jets were shot down over the river?", nil, ""},
		// A senior official is not the head of the army.
		{"What did the head of the army say about the Delta bridge?", nil, "what the head said"},
		// Which bridges? The names in the sentence are not said of them.
		{"Which bridges did the observers watch from the hills?", nil, "gives no name"},
		// Ostland's drones are not Westmark's, though the question names
		// Ostland too.
		{"How many Westmark drones did Ostland shoot down?", nil, ""},
		// A prime minister who thanks Westmark is not Westmark's.
		{"What did Westmark's prime minister say about the Delta bridge?", nil, "what the minister said"},
		// A headline is the report's sentence too; here only it says.
		{"How many fighters died in the night raid on the dam?", []string{"Eastern militia says 9 fighters died", "[1]"}, ""},
		// Which bridge in Ostland? The report names Ostland, but not as
		// where the bridge is.
		{"Which bridge in Ostland did officials close?", nil, ""},
		// A sentence that dates its own event is about that day, not the
		// next sentence's.
		{"How many villagers were wounded on Tuesday?", nil, ""},
		{"How many villagers were wounded on Monday?", []string{"four villagers"}, ""},
		// Ostlandi shells falling on Marr do not place Marr in Ostland.
		{"How many civilians died in Ostland?", nil, ""},
		{"How many civilians died in Marr?", []string{"five civilians"}, ""},
		// The dead are not the wounded.
		{"How many soldiers were wounded in the clashes?", nil, "wounded"},
		// A body named once is then called by its head.
		{"What did the Security Committee say about ambulances?", []string{"only ambulances"}, ""},
		// "Call" names here; it is no verb of saying.
		{"What did the government call the operation?", []string{"Storm Gate"}, ""},
		// Who speaks is said once, at the start of a paragraph of quotes.
		{"What did the defence ministry say about the Delta bridge?", []string{"never a target"}, ""},
		// "Downed" stems to a stop word, as "shot down" has none: it is
		// no word the sources must hold.
		{"How many jets did the air force say were downed over the river?", []string{"four southern jets"}, ""},
		// The air force said what its pilots did: the pilots said nothing.
		{"How many jets did the pilots say were downed over the river?", nil, "what the force said"},
		// No name is said of the jets; a spokesman's words about the
		// pilots and the Delta bridge do not name them.
		{"Which jets did the pilots say were downed over the river?", nil, ""},
		// A report gives a title once and then a surname: Commodore Vask
		// is the head of Westmark's river operations, and its DGRO.
		{"What did the head of Westmark's river operations say about the bridges?", []string{"stays closed"}, ""},
		{"What did Westmark's DGRO say about the bridges?", []string{"stays closed"}, ""},
		// A deputy is not the head, and the head did not speak.
		{"What did the head of Westmark's air operations say about the missions?", nil, "what the head said"},
		// Who chaired it is said with "chaired"; the sentence on what the
		// meeting decided names other things.
		{"Who chaired the Harbour Council meeting on Friday?", []string{"Mayor Ilse Brandt"}, ""},
		// Two parts, one sentence for both: it is quoted once.
		{"Who chaired the Harbour Council meeting on Friday, and who chaired the meeting that rejected the Ostland Plan?", []string{"Mayor Ilse Brandt"}, ""},
		// The bridge in Ostland is the second the sentence names, and it
		// gives no name for it: the Kestrel bridge is another.
		{"Which bridge in Ostland did the army fire rockets at on Friday?", nil, ""},
		// Nobody is said to lead the delegation; the places it is sent to
		// and from are no answer.
		{"Who is leading the Westmark trade delegation expected in Ostland?", nil, "leading"},
		// "In the days to 17 March" is up to that day: Monday's four
		// wounded villagers count.
		{"How many villagers were wounded in the days to 17 March?", []string{"four villagers"}, ""},
		// The report named the Iron bridge, then calls it "the bridge".
		{"Who reopened the Iron bridge on Saturday?", []string{"Colonel Mira Dance"}, ""},
		// … and "the bridge" is the one it named last, not any it names.
		{"Who reopened the Kestrel bridge on Saturday?", nil, ""},
		// The families of farmers killed are not the farmers wounded.
		{"How much compensation did Mayor Ilse Brandt announce for farmers wounded in the shelling?", nil, "farmer killed"},
		{"How much compensation did Mayor Ilse Brandt announce for farmers killed in the shelling?", []string{"500 crowns"}, ""},
		// Westmark's commanders, in the headline, are not its navy's.
		{"What did the navy commander say about the bridges?", nil, ""},
		// "Two days before it" is not the ceasefire's day, which the
		// sentence before gives.
		{"What did Mayor Ilse Brandt say on the day of the ceasefire?", nil, ""},
		// Ostland is named, but not of the minister called.
		{"Which Ostland official did Mayor Ilse Brandt call on Friday?", nil, ""},
		{"Which Westmark official did Mayor Ilse Brandt call on Friday?", []string{"Piet Kaan"}, ""},
		// A place in the opening phrase is the count's; one in a clause
		// joined by ", and" is not.
		{"How many houses were flooded in Kestrel?", []string{"30 houses"}, ""},
		{"How many houses were flooded in Marrow?", nil, "another clause"},
		// A time the question gives is the sentence's own: the Delta
		// bridge's closing is given no time.
		{"Which bridge did officials close at 09:00 on Tuesday?", nil, "09:00"},
		{"Which bridge did engineers open at 06:30 on Saturday?", []string{"Kestrel"}, ""},
		// "No such meeting" is the one the sentence before named.
		{"What did Mayor Ilse Brandt say about the Westmark Trade Board meeting?", []string{"no such meeting"}, ""},
		// The outlet that reports is no answer about what it reports.
		{"Who did the militia commander tell that it would not ask for talks?", nil, ""},
		// A name set aside need not be in the sentence, and is no answer.
		{"Which country's citizen was among the victims at Marr besides Westmark?", []string{"Kestrani"}, ""},
		{"Which country's citizen was among the victims at Marr besides Westmark and Kestran?", nil, ""},
		// What a named person said is a statement of theirs: a trip says
		// nothing, state radio's report is the radio's, and "Kell" in
		// "Oskar Kell Varga" is another man's middle name.
		{"What did Tomas Kell say after visiting the Iron bridge?", nil, ""},
		{"What did Tomas Kell say about the raid?", nil, ""},
		{"What did Tomas Kell say about the dam?", []string{"the dam was safe"}, ""},
		// A briefing the report dates to another day is another
		// briefing, and so is what "he said" at it next.
		{"What did Kell say about the ferry at the 21 March briefing?", nil, "otherwise"},
		{"What did Kell say about the ferry at the 18 March briefing?", []string{"ferry still ran"}, ""},
		// "He said" is whoever the sentence before says spoke: Holm.
		{"What did Tomas Kell say about the tour of the bridges?", nil, ""},
		// … and what another named man says of him is not his.
		{"What did Tomas Kell say about resigning?", nil, "Holm"},
		// "Why" is answered by a cause the sentence gives, not by one that
		// restates the question or by none.
		{"Why did engineers close the Iron bridge?", []string{"because of cracks in its piers"}, ""},
		// Who acts is the question's subject, not a name after "to".
		{"When did Ostland close its airspace?", []string{"Tuesday, 11 March 2031"}, ""},
		{"When did Westmark close its airspace?", nil, ""},
		// The verb said of another thing is no answer: Ostland closed its
		// airspace, not its ports.
		{"When did Ostland close its ports?", nil, ""},
		// "Nine of the 14" counts a share of the 14 wrecked, and "30 piers
		// were damaged" no damaged ferries.
		{"How many cargo ferries were damaged in the storm at Kvarn?", nil, ""},
		// A headline's speaker is whose the lead says it is: Ostland's
		// army, not Westmark's.
		{"How many drones did Ostland's army say were downed over the dam?", []string{"seven drones"}, ""},
		{"How many drones did Westmark's army say were downed over the dam?", nil, ""},
		// An "A or B" question is answered by a sentence that says one.
		{"Did Ostland close its airspace or its ports to Westmark airlines?", []string{"Ostland closed its airspace"}, ""},
		{"Was the Kvarn summit held in a hotel or in a palace?", nil, ""},
		// How long passed between two events is the gap between the days
		// the sources give them; without both days there is none.
		{"How many days after the Kvarn summit was the Lysa accord signed?", []string{"7 days, from 2 March 2031 to 9 March 2031", "[1]"}, ""},
		{"How long was it between the Kvarn summit and the Lysa accord?", []string{"7 days"}, ""},
		{"How many weeks after the Kvarn summit was the Lysa accord signed?", []string{"1 week"}, ""},
		{"How many days before the Kvarn summit was the Lysa accord signed?", []string{"other way round"}, ""},
		{"How many days after the Kvarn summit was the Orsa treaty signed?", nil, ""},
		// The gap asked in place, after the event it counts to.
		{"The Lysa accord came how many days after the Kvarn summit?", []string{"7 days"}, ""},
		// … or from an event the question states first.
		{"The Kvarn summit was held in March - how many days later was the Lysa accord signed?", []string{"7 days, from 2 March 2031 to 9 March 2031"}, ""},
		{"The Kvarn summit was held in March - how many days later was the Orsa treaty signed?", nil, ""},
		// "How far" is answered by a distance, and only by one.
		{"How far is the Solvik grain depot from the Iron bridge?", []string{"40 km upstream"}, ""},
		{"How far are the Marr silos from the Iron bridge?", nil, "distance"},
		// "What is the X of Y" needs a sentence that speaks of an X, with
		// the contraction as with the word.
		{"What was the value of the grain trade on Wednesday?", nil, "value"},
		{"What's the capacity of the Marr silos?", nil, "capacity"},
		// "After the date on which…" says when, not why.
		{"Why did the council keep Admiral Rask in command?", nil, ""},
		// A synonym in WordNet stands for the asked verb ("shut" for
		// "close"), an opposite GloVe puts as near does not.
		{"When did officials shut the Delta bridge?", []string{"Tuesday, 11 March 2031", "[1]"}, ""},
		{"When did officials open the Delta bridge?", nil, "open"},
		{"Why was the two commanders' call on Friday evening moved to noon?", nil, "reason"},
		{"Why did Tomas Kell fly to the dam?", nil, "reason"},
		// A clause that holds the asked event again ("after … had failed
		// too") is no cause of it.
		{"Why did Kell's talks with Westmark fail?", nil, "reason"},
		// "Have" is the auxiliary of "died", not a light verb with it.
		{"How many villagers have died near the dam?", nil, "died"},
		// A year before a name dates that name, not the asked event…
		{"When did Westmark reopen its border posts?", nil, ""},
		// … and a date the sentence gives of the asked event comes first.
		{"When did Ostland suspend the River Accord?", []string{"Thursday, 20 March 2031"}, ""},
		// The question's own number is what it counts from.
		{"How many of the six border posts were in the hills?", []string{"two were in the hills"}, ""},
		// A statement of the right speaker on another thing is no answer.
		{"What did Mayor Ilse Brandt say about the Kestrel bridge?", nil, ""},
		{"How did Holm respond to Kell's remarks about the dam?", nil, "not about"},
		// "Took part" is what they did: a count of those who did
		// something else is no answer.
		{"How many farmers took part in the raid on the dam?", nil, "part"},
		// A sentence that says what came after the event itself is
		// about it, on the event's own day.
		{"Which match was stopped after the drone alert?", []string{"Solvik match"}, ""},
		// A clause that describes the asked thing is checked too, in
		// whichever report says it: the Kestrel bridge is the one both
		// say.
		{"Which bridge that engineers opened to carts did the army shell on Friday?", []string{"Kestrel bridge", "[1]", "[2]"}, ""},
		{"Which bridge that Colonel Mira Dance reopened did the army shell on Friday?", nil, "both"},
		// A response is to what the question says it was to.
		{"How did the Harbour Council respond to the Westmark offer of ferries?", nil, "Westmark"},
		// "Of the Solvik district" is whose the mayor is, not his name.
		{"What was the name of the deputy mayor killed on Monday?", nil, ""},
		// Another Varga is not General Oskar Kell Varga.
		{"What did General Oskar Kell Varga say about exports?", nil, ""},
		// "Drills went ahead" is what the drills did, not another
		// participle than "held".
		{"In how many towns were civil defence drills held on Monday?", []string{"30 towns"}, ""},
		// "What time of day" is answered by a part of the day.
		{"At what time did the interior ministry reject the militia's account?", nil, ""},
		{"What time of day did the interior ministry reject the militia's account?", []string{"Friday afternoon"}, ""},
		// A length is the asked thing's, in its clause.
		{"How long was Kell's speech?", []string{"40-minute"}, ""},
		// The figure a question counts from says which group it means.
		{"Of the 14 ferries wrecked in the storm, how many were cargo ferries?", []string{"Nine of the 14"}, ""},
		{"Of the 20 ferries wrecked in the storm, how many were cargo ferries?", nil, `does not say "20"`},
		// "Nine of the 14 were cargo ferries" counts a share.
		{"How many of the wrecked ferries were cargo ferries?", []string{"Nine of the 14"}, ""},
		// A part of the day answers "what time of day", on the day asked.
		{"What time of day did the interior ministry reject the militia's account on Friday?", []string{"afternoon"}, ""},
		{"What time of day did the Lysa mail boat sail on 5 March?", []string{"early hours"}, ""},
		// "The Ostland-based Grey Wolves" are not Ostland.
		{"Did Ostland claim the raid on the Solvik depot?", nil, ""},
		{"Who claimed the raid on the Solvik depot?", []string{"Grey Wolves"}, ""},
		// "Sunday night" in the source runs into Monday; it is Sunday's.
		{"What did Ostland radio say on Sunday night?", []string{"dam gates"}, ""},
		{"What did Ostland radio say on Saturday night?", nil, "Saturday night"},
		{"How long will Ostland's ban on grain exports last?", nil, ""},
		// "Who is X" is answered by a person given that title, beside the
		// name or in the report.
		{"Who is the army chief?", []string{"Oskar Kell Varga"}, ""},
		{"Who is the navy chief?", nil, ""},
		{"Who is Westmark's Director General of River Operations?", []string{"Lena Vask"}, ""},
		// The question word may open a later clause.
		{"Apart from the Delta bridge, which bridge did officials close?", []string{"Iron bridge"}, ""},
		// A place after "near" is where the bridge is, not its name.
		{"Which bridge did rebels blow up on Monday?", nil, ""},
		// "Westmark positions along the Grey Ridge": Westmark is said of
		// the positions, and the ridge is no Westmark town.
		{"Which Westmark town did Ostland gunners shell on Monday?", nil, ""},
		// The committee that met is what is asked about, not who chaired it.
		{"Who chaired the Security Committee meeting on Monday?", nil, "gives no name"},
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
				if !strings.Contains(ans.Reason, tt.reason) {
					t.Errorf("reason %q, want it to mention %q", ans.Reason, tt.reason)
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
			// Every quote stands in the answer as the source wrote it.
			for _, c := range ans.Citations {
				if n := strings.Count(ans.Text, c.Quote); n != 1 {
					t.Errorf("quote %q stands %d times in %q, want once, verbatim", c.Quote, n, ans.Text)
				}
			}
		})
	}
}

func TestReadSlot(t *testing.T) {
	t.Parallel()
	tests := []struct {
		question string
		slot     slotKind
		focus    string
	}{
		{"How many Pakistani soldiers were killed?", slotCount, "soldiers"},
		{"How many of those killed were tourists?", slotCount, "tourists"},
		{"Why did Pakistan close its airspace?", slotReason, ""},
		{"What are the names of the three suspects?", slotName, "suspects"},
		{"How many gunmen came out of the forest?", slotCount, "gunmen"},
		{"How many nights running had troops been firing?", slotCount, "nights"},
		{"Which official both briefed reporters and announced the measures?", slotName, "official"},
		{"At how many locations were drones seen?", slotCount, "locations"},
		{"By how much did water flows fall?", slotCount, "flows"},
		{"How far is Muridke from Lahore?", slotDistance, ""},
		{"What's the range of the drones?", slotAny, "range"},
		{"What were the new pontiff's first words?", slotAny, "words"},
		{"What's the army's count of soldiers wounded?", slotCount, "soldiers"},
		{"What is the range of the drones?", slotAny, "range"},
		// "What exact day" asks a time, as "what day" does.
		{"What exact day in July was the accord signed?", slotTime, ""},
		// Days, nights and dates asked in the plural are times too.
		{"Which nights did the drone waves come in?", slotTime, ""},
		{"On which days did the shares jump?", slotTime, ""},
		{"When did India close its airspace?", slotTime, ""},
		{"At what time did the ceasefire take effect?", slotTime, ""},
		{"For how long was the league halted?", slotDuration, "league"},
		{"Who chaired the meeting?", slotName, ""},
		{"Which bilateral agreement did Pakistan threaten to suspend?", slotName, "agreement"},
		{"What was the name of the pilot?", slotName, "pilot"},
		{"What kind of drones were shot down?", slotName, "drones"},
		// An adverb before the verb ends the noun phrase.
		{"Which agency formally took over the inquiry?", slotName, "agency"},
		{"What is the population of Kashmir?", slotAny, "population"},
		{"What happened over Jammu?", slotAny, ""},
		{"Did Pakistan destroy the system?", slotAny, ""},
	}
	for _, tt := range tests {
		slot, _, focus, _ := readSlot(lowerWords(tt.question))
		if slot != tt.slot || focus != tt.focus {
			t.Errorf("%q: slot %v focus %q, want %v %q", tt.question, slot, focus, tt.slot, tt.focus)
		}
	}
}

func TestReadRelationVerb(t *testing.T) {
	t.Parallel()
	tests := []struct{ question, verb, subject string }{
		{"What did the UN Security Council decide at its meeting?", "decide", ""},
		{"What did India's foreign ministry say about the claim?", "say", "ministry"},
		{"When did the Attari crossing reopen?", "reopen", "crossing"},
		{"Which agreement did Pakistan threaten to hold in abeyance?", "threaten", ""},
		// "take effect" is one phrase: the noun alone is no verb.
		{"When did the ceasefire take effect?", "", ""},
		{"Who briefed reporters?", "", ""},
		// A possessive's noun is no verb.
		{"When does this year's grain harvest end?", "end", "harvest"},
		// … nor is the noun a possessive owns, though a preposition
		// follows it.
		{"Did Westmark's strike on the dam destroy any boats?", "destroy", "strike"},
		// An adverb or a quantifier is no verb.
		{"On what grounds did the ministry ban every Ostland good?", "ban", "ministry"},
		{"Did the shells actually hit the dam?", "hit", "shells"},
		// A participle with its particle is the verb, before its object.
		{"Has Ostland called off either raid?", "called", ""},
		// The asked noun may stand between the question word and the
		// passive's copula.
		{"What time was the Delta blackout lifted?", "lifted", ""},
		// A light verb with its particle is a phrasal verb …
		{"Who did the general take over from?", "take", "general"},
		// … but a yes-or-no question is answered in any words.
		{"Did the shells take out the bridge?", "", ""},
	}
	for _, tt := range tests {
		verb, _, subject := readRelationVerb(tt.question, lowerWords(tt.question))
		if verb != tt.verb || subject != tt.subject {
			t.Errorf("%q: verb %q subject %q, want %q %q", tt.question, verb, subject, tt.verb, tt.subject)
		}
	}
}

func TestSplitQuestion(t *testing.T) {
	t.Parallel()
	got := splitQuestion("Which border crossing did India close, and which did Pakistan close in response?")
	want := []string{"Which border crossing did India close?", "Which border crossing did Pakistan close in response?"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("split %q, want %q", got, want)
	}
	if got := splitQuestion("Who spoke with Munir and Sharif?"); len(got) != 1 {
		t.Errorf("split %q, want it whole", got)
	}
}

func TestCountValueAttachment(t *testing.T) {
	t.Parallel()
	tests := []struct {
		sentence, focus, want string
		names                 []string
		question              string
	}{
		{"Pakistan shot down five Indian fighter jets.", "jets", "5", []string{"indian"}, ""},
		{"35 to 40 Pakistani army personnel were killed.", "personnel", "35-40", []string{"pakistani"}, ""},
		{"He offered compensation of 1 million rupees.", "compensation", "1", nil, ""},
		{"Twenty-five of the dead were tourists.", "tourists", "25", nil, ""},
		// A share of a group counted before: nine of the 14 were.
		{"Nine of the 14 were cargo ferries.", "ferries", "9", nil, ""},
		{"Six of the 11 were soldiers of the army.", "soldiers", "6", nil, ""},
		// The number counts people, not attacks.
		{"Gunmen killed 26 people in the deadliest attack.", "attack", "", nil, ""},
		// Indian soldiers are no count of Pakistani ones.
		{"He said five Indian soldiers had been killed.", "soldiers", "", []string{"pakistani"}, ""},
		// A date is not a count.
		{"Soldiers were killed on 7 May.", "soldiers", "", nil, ""},
		// The question's own number is what it counts from.
		{"India struck nine sites.", "sites", "", nil, "How many of the nine sites were in Kashmir?"},
		{"Of the nine sites, four were in Kashmir.", "sites", "4", nil, "How many of the nine sites were in Kashmir?"},
	}
	for _, tt := range tests {
		a := &analysis{focus: tt.focus, text: tt.question}
		if tt.question != "" {
			a.numbers = analyse(tt.question, time.Date(2025, 5, 8, 0, 0, 0, 0, time.UTC), func(string) float64 { return 1 }, func(string) bool { return true }).numbers
		}
		for _, n := range tt.names {
			a.names = append(a.names, []string{n})
		}
		art := &corpus.Article{Text: tt.sentence, Published: time.Date(2025, 5, 8, 0, 0, 0, 0, time.UTC)}
		v := sentenceView{article: art, span: corpus.Span{End: len(tt.sentence)}, words: splitWords(tt.sentence, 0, len(tt.sentence)),
			dates: corpus.ExtractDates(tt.sentence, art.Published)}
		got := ""
		for i, w := range v.words {
			if w.lower == tt.focus {
				if val, ok := countValue(a, v, i, nil); ok {
					got = val
				}
			}
		}
		if got != tt.want {
			t.Errorf("%q (%s): count %q, want %q", tt.sentence, tt.focus, got, tt.want)
		}
	}
}

// TestExtractivePartsShareAQuote: when one sentence answers both parts of
// a question, it is quoted and cited once.
func TestExtractivePartsShareAQuote(t *testing.T) {
	t.Parallel()
	e := deskExtractive(t)
	ans, err := e.Answer(context.Background(), Question{Text: "Which bridge did officials close on Tuesday, and when did officials close the Delta bridge?"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const quote = "Officials closed the Delta bridge to traffic on Tuesday."
	if ans.Abstained || strings.Count(ans.Text, quote) != 1 || len(ans.Citations) != 1 {
		t.Fatalf("answer %q with %d citations, want the quote once and one citation", ans.Text, len(ans.Citations))
	}
}

func TestOwnerOf(t *testing.T) {
	t.Parallel()
	tests := []struct{ question, subject, want string }{
		{"What did China's foreign minister say?", "minister", "china"},
		{"What did the Pakistani army chief say about India?", "chief", "pakistani"},
		{"What did the defence ministry say?", "ministry", ""},
		{"What did the head of the army say?", "head", ""},
	}
	for _, tt := range tests {
		if got := ownerOf(tt.question, tt.subject); got != tt.want {
			t.Errorf("ownerOf(%q, %q) = %q, want %q", tt.question, tt.subject, got, tt.want)
		}
	}
}

// TestDateEvent: a question bounded by an event is dated by the day the
// corpus gives that event, and the event's own day is on neither side.
func TestDateEvent(t *testing.T) {
	t.Parallel()
	e := deskExtractive(t)
	ix := deskLibrary(t).Current()
	tests := []struct {
		question string
		want     string // the question's date, "" when it has none
		rel      dateRelation
	}{
		{"How many soldiers were killed after the ceasefire?", "2031-03-13", dateAfter},
		{"How many soldiers were killed before the ceasefire?", "2031-03-11", dateBy},
		// The corpus never dates a referendum: the question stays undated.
		{"How many soldiers were killed before the referendum?", "", dateOn},
	}
	for _, tt := range tests {
		a := e.analyse(Question{Text: tt.question}, ix)
		got := ""
		if len(a.dates) > 0 {
			got = a.dates[0].From.Format("2006-01-02")
		}
		if got != tt.want || got != "" && a.rel != tt.rel {
			t.Errorf("%q: dated %q (relation %d), want %q (%d)", tt.question, got, a.rel, tt.want, tt.rel)
		}
	}
}

// TestOneSideRevises: outlets sources.yaml labels as one side give that
// side's figures over time, newest first; labelled as two sides, they
// disagree.
func TestOneSideRevises(t *testing.T) {
	t.Parallel()
	sim, err := retrieval.LoadSimilarity()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		sources, want string
	}{
		{"Northern Herald: north\nSouthern Courier: north\n", "Latest: Southern Courier (North, 15 March 2031)"},
		{"Northern Herald: north\nSouthern Courier: south\n", "Sources differ: "},
	} {
		fsys := fstest.MapFS{"sources.yaml": {Data: []byte(tt.sources)}}
		for name, f := range deskCorpus {
			fsys[name] = f
		}
		lib, err := retrieval.NewLibrary(retrieval.LibraryConfig{Settings: retrieval.Settings{Embedder: "hash-test"}}, retrieval.HashEmbedder(256),
			func(ctx context.Context) (*corpus.Result, error) { return corpus.Load(ctx, fsys, corpus.Options{}) }, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := lib.Open(context.Background()); err != nil {
			t.Fatal(err)
		}
		e := NewExtractive(ExtractiveConfig{Similarity: sim, Thesaurus: loadThesaurus(t)}, lib, nil)
		ans, err := e.Answer(context.Background(), Question{Text: "How many soldiers were killed in the clashes?"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(ans.Text, tt.want) {
			t.Errorf("with sources.yaml %q: answer %q, want it to start %q", tt.sources, ans.Text, tt.want)
		}
	}
}

// TestQualifierOfTheAskedThing: a name said of the asked thing ("which
// bridge in Ostland") must be said of it by the sentence: the report that
// answers "which bridge" does not say the bridge is in Ostland.
func TestQualifierOfTheAskedThing(t *testing.T) {
	t.Parallel()
	e := deskExtractive(t)
	ans, err := e.Answer(context.Background(), Question{Text: "Which bridge did officials close on Sunday?"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ans.Abstained || !strings.Contains(ans.Text, "Iron bridge") {
		t.Fatalf("without the qualifier: %q, want the Iron bridge", ans.Text)
	}
	ans, err = e.Answer(context.Background(), Question{Text: "Which bridge in Ostland did officials close on Sunday?"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !ans.Abstained {
		t.Fatalf("with the qualifier: %q, want a refusal", ans.Text)
	}
}

// TestAnotherTimeMustBeAboutAsMuch: a time from another source is shown
// as a disagreement only when its sentence speaks of about as much of the
// question as the best one: any dated sentence has a time.
func TestAnotherTimeMustBeAboutAsMuch(t *testing.T) {
	t.Parallel()
	e := deskExtractive(t)
	a := &analysis{slot: slotTime}
	ev := func(source string, coverage float64, value string) evidence {
		art := &corpus.Article{ID: source, Source: source}
		return evidence{view: sentenceView{article: art, span: corpus.Span{Start: 0, End: 1}}, coverage: coverage, value: value}
	}
	for _, tt := range []struct {
		other float64
		want  int
	}{{0.9, 2}, {0.5, 1}} {
		got := e.choose(a, []evidence{ev("North", 1, "Tuesday"), ev("South", tt.other, "Thursday")})
		if len(got) != tt.want {
			t.Errorf("another time at coverage %.1f: %d quotes, want %d", tt.other, len(got), tt.want)
		}
	}
}

// TestSpeakerAnsweredByTheirStatement: what a ministry said is its
// statement, not the sentence about it beside the statement.
func TestSpeakerAnsweredByTheirStatement(t *testing.T) {
	t.Parallel()
	e := deskExtractive(t)
	ans, err := e.Answer(context.Background(), Question{Text: "What did the interior ministry say about the raid on the dam?"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ans.Abstained || strings.HasPrefix(ans.Text, "The interior ministry rejected") || !strings.Contains(ans.Text, `"`) {
		t.Fatalf("answer %q, want the spokesman's words", ans.Text)
	}
}

func TestInitials(t *testing.T) {
	t.Parallel()
	tests := []struct {
		run  []string
		want string
	}{
		{[]string{"United", "Nations"}, "UN"},
		{[]string{"Director", "General", "of", "Military", "Operations"}, "DGMO"},
		{[]string{"the", "Security", "Council"}, "SC"},
		{[]string{"Pakistan"}, ""},
	}
	for _, tt := range tests {
		if got := initials(tt.run); got != tt.want {
			t.Errorf("initials(%q) = %q, want %q", tt.run, got, tt.want)
		}
	}
}

// TestExpandSearchesInitials: a question naming the United Nations also
// searches "UN", which the reports use.
func TestExpandSearchesInitials(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"un.md": {Data: []byte("---\ntitle: UN urges calm\n---\nThe UN chief urged calm at the border.\n")}}
	lib, err := retrieval.NewLibrary(retrieval.LibraryConfig{Settings: retrieval.Settings{Embedder: "hash-test"}}, retrieval.HashEmbedder(64),
		func(ctx context.Context) (*corpus.Result, error) { return corpus.Load(ctx, fsys, corpus.Options{}) }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	sim, err := retrieval.LoadSimilarity()
	if err != nil {
		t.Fatal(err)
	}
	e := NewExtractive(ExtractiveConfig{Similarity: sim, Thesaurus: loadThesaurus(t)}, lib, nil)
	if q := e.expand("What did the United Nations say?", lib.Current()); !strings.Contains(q, "UN") {
		t.Errorf("expanded query %q lacks the initials", q)
	}
}

// The dead that the verb before a number counts are not the wounded: both
// reports give nine farmers wounded, so they do not differ.
func TestCountOfTheAskedVerb(t *testing.T) {
	t.Parallel()
	e := deskExtractive(t)
	ans, err := e.Answer(context.Background(), Question{Text: "How many farmers were wounded near the Iron bridge on Thursday?"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ans.Abstained || strings.Contains(ans.Text, "Sources differ") || !strings.Contains(ans.Text, "nine") {
		t.Errorf("answer %q, want nine wounded and no disagreement", ans.Text)
	}
}

// FuzzExtractiveQuestion asks the desk corpus anything: no question may
// crash the checks, and every answer quotes its sources verbatim.
func FuzzExtractiveQuestion(f *testing.F) {
	for _, q := range []string{
		"How many soldiers were killed in the clashes?",
		"What did the head of Westmark's river operations say about the bridges?",
		"Which country's citizen was among the victims at Marr besides Westmark and Kestran?",
		"Who chaired the Harbour Council meeting on Friday, and who chaired the meeting that rejected the Ostland Plan?",
		"How many houses were flooded in Marrow at 06:30 on the day of the ceasefire?",
		"What did the DGRO's deputy say, besides Ostland, to 17 March?",
		"Which  side's 'head of the' said \u201cno such\u201d?",
		"Apart from the Delta bridge, which bridge that engineers opened did they close — and why, after the raid?",
		"Who is Westmark's DGRO, how long was Kell's 40-minute speech, and what did the PM's office say about it?",
	} {
		f.Add(q)
	}
	e := deskExtractive(f)
	f.Fuzz(func(t *testing.T, q string) {
		ans, err := e.Answer(context.Background(), Question{Text: q}, nil)
		if err != nil {
			return
		}
		for _, c := range ans.Citations {
			if !strings.Contains(ans.Text, c.Quote) {
				t.Fatalf("%q: quote %q is not in %q", q, c.Quote, ans.Text)
			}
		}
	})
}

func TestQuestionNameSpeaking(t *testing.T) {
	t.Parallel()
	a := analyse("How did Westmark respond to Kell's remarks about the dam?", time.Date(2031, 3, 22, 0, 0, 0, 0, time.UTC),
		func(string) float64 { return 1 }, func(string) bool { return true })
	tests := []struct{ sentence, want string }{
		// Kell's own words are not Westmark's response to them.
		{"Kell later said the dam was safe.", "Kell"},
		{"Westmark's army said the dam was safe.", ""},
		{"A Westmark spokesman said Kell was wrong about the dam.", ""},
	}
	for _, tt := range tests {
		if got := questionNameSpeaking(&a, tt.sentence, splitWords(tt.sentence, 0, len(tt.sentence))); got != tt.want {
			t.Errorf("%q: %q speaks, want %q", tt.sentence, got, tt.want)
		}
	}
}

func TestUncoveredLeavesDatesAndInitialsToTheChecks(t *testing.T) {
	t.Parallel()
	e := deskExtractive(t)
	tests := []struct {
		question string
		unknown  bool
	}{
		// Initials, even with a possessive or a joiner's letter, may be
		// spelt out.
		{"What did the PM's office say about the Delta bridge?", false},
		{"What did the army say about the LoC?", false},
		// A name no report gives proves the sources silent.
		{"What did Zorbania say about the Delta bridge?", true},
	}
	for _, tt := range tests {
		ans, err := e.Answer(context.Background(), Question{Text: tt.question}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := ans.Unknown != ""; got != tt.unknown {
			t.Errorf("%q: unknown term %q, want one: %v", tt.question, ans.Unknown, tt.unknown)
		}
	}
}

func TestSpellingsAndInitialisms(t *testing.T) {
	t.Parallel()
	if got := spellings("characterise"); !slices.Contains(got, "characterize") {
		t.Errorf("spellings(characterise) = %q, want the American spelling too", got)
	}
	if got := spellings("organization"); !slices.Contains(got, "organisation") {
		t.Errorf("spellings(organization) = %q, want the British spelling too", got)
	}
	for w, want := range map[string]bool{"PM's": true, "LoC": true, "VP": true, "Pakistan": false, "I": false} {
		if got := initialism(w); got != want {
			t.Errorf("initialism(%q) = %v, want %v", w, got, want)
		}
	}
	runs := nameRuns("Where was the American VP on Tuesday?")
	if len(runs) < 2 || strings.Join(runs[0], " ") != "American" || strings.Join(runs[1], " ") != "VP" {
		t.Errorf("nameRuns = %q, want the initials apart from American", runs)
	}
	ws := splitWords("along the Line of Control", 0, len("along the Line of Control"))
	if !nameIn([]string{"loc"}, ws) {
		t.Error(`"LoC" is not matched by "Line of Control"`)
	}
	// An acronym leaves out the small words of the name it stands for.
	board := "The Board of Control for Rowing in Ostland suspended the league."
	if !nameIn([]string{"bcro"}, splitWords(board, 0, len(board))) {
		t.Error(`"BCRO" is not matched by "Board of Control for Rowing in Ostland"`)
	}
	if nameIn([]string{"bcrx"}, splitWords(board, 0, len(board))) {
		t.Error(`"BCRX" is matched by "Board of Control for Rowing in Ostland"`)
	}
}

func TestOtherBearer(t *testing.T) {
	t.Parallel()
	name := []string{"wing", "commander", "vyomika", "singh"}
	tests := []struct {
		sentence string
		other    bool
	}{
		{"Defence Minister Rajnath Singh told opposition leaders.", true},
		{"Wing Commander Singh said the sites were chosen.", false},
		{"Singh said the sites were chosen.", false},
		{"Commander Vyomika Singh said so.", false},
		{"Ahmed Singh Chaudhry said so.", false}, // not her surname at all
	}
	for _, tt := range tests {
		if got := otherBearer(name, splitWords(tt.sentence, 0, len(tt.sentence))); got != tt.other {
			t.Errorf("%q: another Singh %v, want %v", tt.sentence, got, tt.other)
		}
	}
}

func TestKindOfName(t *testing.T) {
	t.Parallel()
	s := "Soldiers were killed in Westmark and Ostland Hills, along the Grey Ridge, by Colonel Aro."
	ws := splitWords(s, 0, len(s))
	idx := func(w string) int {
		for i, x := range ws {
			if x.raw == w {
				return i
			}
		}
		t.Fatalf("no %q", w)
		return -1
	}
	for w, want := range map[string]bool{"Westmark": true, "Ostland": true, "Grey": true, "Colonel": false} {
		if got := placedAt(ws, idx(w)); got != want {
			t.Errorf("placedAt(%q) = %v, want %v", w, got, want)
		}
	}
	ref := time.Date(2031, 3, 22, 0, 0, 0, 0, time.UTC)
	for q, want := range map[string][2]bool{
		"Who shelled the bridge?":              {true, false},
		"Where did the army shell the bridge?": {false, true},
		"Which countries sent observers?":      {false, true},
		"Which officials sent observers?":      {true, false},
	} {
		a := analyse(q, ref, func(string) float64 { return 1 }, func(string) bool { return true })
		if got := [2]bool{a.wantsPerson(), a.wantsPlace()}; got != want {
			t.Errorf("%q: person, place = %v, want %v", q, got, want)
		}
	}
}

func TestQuoteShowsWhoThePronounIs(t *testing.T) {
	t.Parallel()
	text := "Modi gave his own account. He said Pakistan had called. The ceasefire held."
	art := &corpus.Article{Text: text}
	view := func(ctx, span string) sentenceView {
		i, j := strings.Index(text, ctx), strings.Index(text, span)
		v := sentenceView{article: art, span: corpus.Span{Start: j, End: j + len(span)}, context: corpus.Span{Start: i, End: i + len(ctx)}}
		v.words = splitWords(text, v.span.Start, v.span.End)
		return v
	}
	if got, want := quoteOf(view("Modi gave his own account.", "He said Pakistan had called.")), "Modi gave his own account. He said Pakistan had called."; got != want {
		t.Errorf("quote %q, want %q", got, want)
	}
	if got, want := quoteOf(view("He said Pakistan had called.", "The ceasefire held.")), "The ceasefire held."; got != want {
		t.Errorf("quote %q, want %q: only a pronoun brings its sentence along", got, want)
	}
}

func TestQuoteShowsTheContextItLeansOn(t *testing.T) {
	t.Parallel()
	text := "Explosions were reported in Solvik that night. The truce nevertheless held."
	art := &corpus.Article{Text: text}
	j := strings.Index(text, "The truce")
	v := sentenceView{article: art, span: corpus.Span{Start: j, End: len(text)}, context: corpus.Span{Start: 0, End: j - 1}}
	v.words = splitWords(text, v.span.Start, v.span.End)
	v.ctx = splitWords(text, v.context.Start, v.context.End)
	ref := time.Date(2031, 3, 22, 0, 0, 0, 0, time.UTC)
	var c checks
	for q, want := range map[string]bool{
		"What was reported in Solvik after the truce?": true,  // Solvik is only in the context
		"Did the truce hold?":                          false, // the sentence says it all
	} {
		a := analyse(q, ref, func(string) float64 { return 1 }, func(string) bool { return true })
		if got := c.leansOnContext(&a, v); got != want {
			t.Errorf("%q: leans on its context %v, want %v", q, got, want)
		}
	}
	v.leansOnContext = true
	if got := quoteOf(v); got != text {
		t.Errorf("quote %q, want both sentences", got)
	}
}

func TestPhrasalVerbSaidWithItsParticle(t *testing.T) {
	t.Parallel()
	ref := time.Date(2031, 3, 22, 0, 0, 0, 0, time.UTC)
	q := "Which fighters did the pilots say probably shot down the jets?"
	a := analyse(q, ref, func(string) float64 { return 1 }, func(string) bool { return true })
	var c checks
	for s, want := range map[string]bool{
		"The jets were probably brought down by Falcon fighters.": true,
		"The jets were probably shot by Falcon fighters.":         true,
		"The jets were probably seen by Falcon fighters.":         false,
	} {
		if got := c.relationMatched(&a, splitWords(s, 0, len(s))); got != want {
			t.Errorf("%q: says %q %v, want %v", s, q, got, want)
		}
	}
}

// TestEmphasisAsksNothing: "actually" stresses a question; a sentence
// need not hold it, and it is no speaker.
func TestEmphasisAsksNothing(t *testing.T) {
	t.Parallel()
	e := deskExtractive(t)
	a := e.analyse(Question{Text: "Did the Eastern militia actually claim the raid on the dam?"}, e.src.Current())
	for _, k := range a.key {
		if k.word == "actually" {
			t.Errorf("key terms %v hold %q", a.key, k.word)
		}
	}
	if a.subject != "militia" {
		t.Errorf("subject = %q, want militia", a.subject)
	}
}

// TestInitialsOfQuestion: a name the question gives by its initials is
// the question's own when spelt out, and no answer to it.
func TestInitialsOfQuestion(t *testing.T) {
	t.Parallel()
	e := deskExtractive(t)
	a := e.analyse(Question{Text: "Which MEA official revoked the visas?"}, e.src.Current())
	words := func(s string) []word {
		var ws []word
		for _, f := range strings.Fields(s) {
			ws = append(ws, word{raw: f, lower: strings.ToLower(f), term: term1(f)})
		}
		return ws
	}
	if !initialsOfQuestion(&a, words("Ministry of External Affairs")) {
		t.Error("the Ministry of External Affairs is not read as MEA")
	}
	if initialsOfQuestion(&a, words("Foreign Secretary Vikram Misri")) {
		t.Error("a person is read as MEA")
	}
}

func TestReadObject(t *testing.T) {
	t.Parallel()
	tests := []struct{ question, verb, object string }{
		{"When did Pakistan close its airspace?", "close", "airspace"},
		{"When did Asim Munir become Pakistan's army chief?", "become", "chief"},
		{"On what date did Rubio speak to Pakistan's prime minister?", "speak", "minister"},
		{"When did India launch Operation Sindoor?", "launch", ""},
		{"How many flights did Air India cancel on 8 May?", "cancel", ""},
		// A quantifier is no object: the noun after it is.
		{"Why did the ministry ban every Ostland good?", "ban", "good"},
		// A name that qualifies the noun is not the end of the object.
		{"When did Kell become a Westmark citizen?", "become", "citizen"},
	}
	for _, tt := range tests {
		if got := readObject(tt.question, lowerWords(tt.question), tt.verb); got != tt.object {
			t.Errorf("%q: object %q, want %q", tt.question, got, tt.object)
		}
	}
}

// miniExtractive answers from fsys, with the built-in tables; names sets
// the country names and the kinds of noun.
func miniExtractive(tb testing.TB, fsys fstest.MapFS, names bool) *Extractive {
	tb.Helper()
	sim, err := retrieval.LoadSimilarity()
	if err != nil {
		tb.Fatal(err)
	}
	lib, err := retrieval.NewLibrary(retrieval.LibraryConfig{Settings: retrieval.Settings{Embedder: "hash-test"}}, retrieval.HashEmbedder(256),
		func(ctx context.Context) (*corpus.Result, error) {
			return corpus.Load(ctx, fsys, corpus.Options{})
		}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := lib.Open(context.Background()); err != nil {
		tb.Fatal(err)
	}
	th := loadThesaurus(tb)
	cfg := ExtractiveConfig{Similarity: sim, Thesaurus: th}
	if names {
		cfg.Names, cfg.Kinds = th, th
	}
	return NewExtractive(cfg, lib, nil)
}

// nationCorpus reports on real countries, which reports name by their
// adjectives, initials and capitals.
var nationCorpus = fstest.MapFS{
	"talks.md": {Data: []byte(`---
title: Envoys meet as the border stays shut
source: Wire Desk
published: 2031-06-06
---
US officials said on Thursday that the talks on the river treaty would resume in Geneva next week.

Pakistan said the Attock bridge would stay shut until 20 June.
`)},
}

// TestCountryNames: a country's names stand for one another — "American
// officials" are named by "US officials", "Islamabad said" by "Pakistan
// said" — but a place the question puts a thing in is named as itself.
func TestCountryNames(t *testing.T) {
	t.Parallel()
	with := miniExtractive(t, nationCorpus, true)
	without := miniExtractive(t, nationCorpus, false)

	tests := []struct {
		question string
		want     string // "" for a refusal
	}{
		{"Where did American officials say the river treaty talks would resume?", "Geneva"},
		{"Until when did Islamabad say the Attock bridge would stay shut?", "20 June"},
		// In Islamabad is a place: Pakistan is no answer.
		{"Which bridge stayed shut in Islamabad?", ""},
		// Another country's name is another country.
		{"Where did Chinese officials say the river treaty talks would resume?", ""},
	}
	for _, tt := range tests {
		expectAnswer(t, with, tt.question, tt.want, tt.question)
		if tt.want != "" {
			// Without the country names, the question's name is not found.
			expectAnswer(t, without, tt.question, "", tt.question+" (without country names)")
		}
	}
}

// TestGovernedAsPlace: "where" is answered by a place the sentence puts
// something in, at or near, or that a verb acts on; not by a subject, an
// opponent, or a name past the comma that ends a phrase.
func TestGovernedAsPlace(t *testing.T) {
	t.Parallel()
	tests := []struct {
		sentence, name string
		want           bool
	}{
		{"Gunmen opened fire at the Baisaran meadow above Pahalgam.", "Baisaran", true},
		{"Gunmen opened fire at the Baisaran meadow above Pahalgam.", "Pahalgam", true},
		{"India struck sites in Kotli, Muzaffarabad and Bagh.", "Bagh", true},
		{"The army said it had struck Muridke overnight.", "Muridke", true},
		{"He is due to visit Saudi Arabia next week.", "Saudi", true},
		{"They met in the city of Lahore.", "Lahore", true},
		{"India did not comment on the tests.", "India", false},
		{"It paused its action against Pakistan.", "Pakistan", false},
		{"In his address to the nation, Prime Minister Narendra Modi said so.", "Prime", false},
	}
	for _, tt := range tests {
		ws := splitWords(tt.sentence, 0, len(tt.sentence))
		i := slices.IndexFunc(ws, func(w word) bool { return w.raw == tt.name })
		if i < 0 {
			t.Fatalf("%q not in %q", tt.name, tt.sentence)
		}
		if got := governedAsPlace(tt.sentence, ws, i); got != tt.want {
			t.Errorf("governedAsPlace(%q, %q) = %v, want %v", tt.sentence, tt.name, got, tt.want)
		}
	}
}

// TestCountQualifierInItsClause: whose the counted things are is said in
// the count's clause; a sentence that names them elsewhere counts others.
func TestCountQualifierInItsClause(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{"border.md": {Data: []byte(`---
title: Thousands cross the border before it closes
source: Wire Desk
published: 2031-06-09
---
In the four days to Sunday, 537 Ostland nationals crossed back through the Kell post, among them nine diplomats, while 850 Westmark citizens returned home.
`)}}, false)
	tests := []struct {
		question, want string // want "" for a refusal
	}{
		{"How many Ostland nationals crossed back through the Kell post?", "537"},
		{"How many diplomats crossed back through the Kell post?", "nine"},
		{"How many Westmark diplomats crossed back through the Kell post?", ""},
	}
	for _, tt := range tests {
		expectAnswer(t, e, tt.question, tt.want, tt.question)
	}
}

// TestOtherCountrysThing: a thing the question gives one country ("the
// Pakistani side") is not answered by a sentence that gives it another's
// ("the Indian side") — unless the question asks which of the two.
func TestOtherCountrysThing(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"shelling.md": {Data: []byte(`---
title: Shelling along the border
source: Wire Desk
published: 2031-06-09
---
Pakistan and India traded fire across the border on Sunday.

Heavy shelling hit the Poonch district on the Indian side of the border on Sunday.

The ceasefire took effect at 17:00 Indian time on Monday.
`)}}
	with := miniExtractive(t, fsys, true)
	without := miniExtractive(t, fsys, false)
	tests := []struct {
		question, want string // want "" for a refusal with the country names
	}{
		{"Which district on the Indian side of the border was hit by shelling on Sunday?", "Poonch"},
		{"Which district on the Pakistani side of the border was hit by shelling on Sunday?", ""},
		{"Did the ceasefire take effect at 17:00 Pakistani time or Indian time?", "Indian time"},
	}
	for _, tt := range tests {
		expectAnswer(t, with, tt.question, tt.want, tt.question)
	}
	// Without the country names, "Pakistani" and "Indian" are two words.
	ans, err := without.Answer(context.Background(), Question{Text: tests[1].question}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ans.Abstained && strings.Contains(ans.Reason, "Indian side") {
		t.Errorf("without country names the refusal names the other country: %s", ans.Reason)
	}
}

// TestThingNamedBySayingWhich: a city or a minister is answered by a name
// alone, but a mosque only by a sentence that says which mosque.
func TestThingNamedBySayingWhich(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"strikes.md": {Data: []byte(`---
title: Strikes hit three towns
source: Wire Desk
published: 2031-06-12
---
The military said strikes had hit Kotli, Bagh and Sonmiani on Wednesday.
`)}}
	tests := []struct {
		question string
		kinds    bool
		want     string // "" for a refusal
	}{
		{"Which towns did the military say the strikes hit on Wednesday?", true, "Kotli"},
		{"Which mosque did the military say the strikes hit on Wednesday?", true, ""},
		// Without the kinds of noun, any name passes for the mosque.
		{"Which mosque did the military say the strikes hit on Wednesday?", false, "Kotli"},
	}
	with, without := miniExtractive(t, fsys, true), miniExtractive(t, fsys, false)
	for _, tt := range tests {
		e := without
		label := tt.question + " (without the kinds of noun)"
		if tt.kinds {
			e, label = with, tt.question
		}
		expectAnswer(t, e, tt.question, tt.want, label)
	}
}

// TestOpensWithReference: a sentence that opens by pointing back is read
// with the one before it; one whose opening says what it is about is not.
func TestOpensWithReference(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"He said the talks would resume.":                    true,
		"The move was welcomed in Geneva.":                   true,
		"Next week, they will meet again.":                   true,
		"The third Test begins in Ahmedabad on Friday.":      false,
		"The Indian government said the targets were camps.": false,
		"The two officers are due to speak again on Monday.": true,
		"Officials closed the bridge on Tuesday.":            false,
	} {
		if got := opensWithReference(s, corpus.Span{End: len(s)}); got != want {
			t.Errorf("opensWithReference(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestIntentionIsNoEvent: what the question says took place ("when she
// visited") is not answered by a sentence that says it would.
func TestIntentionIsNoEvent(t *testing.T) {
	t.Parallel()
	report := func(sentence string) fstest.MapFS {
		return fstest.MapFS{"mayor.md": {Data: []byte("---\ntitle: Mayor on the storm\nsource: Wire Desk\npublished: 2031-06-12\n---\n" + sentence + "\n")}}
	}
	q := Question{Text: "What did Mayor Ilse Brandt say when she visited Kvarn after the storm?"}
	for _, tt := range []struct {
		sentence string
		answers  bool
	}{
		{"Mayor Ilse Brandt visited Kvarn after the storm on Friday and said the port would reopen within a week.", true},
		{"Mayor Ilse Brandt said after the storm that she would visit Kvarn as soon as the roads reopened.", false},
	} {
		ans, err := miniExtractive(t, report(tt.sentence), true).Answer(context.Background(), q, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ans.Abstained == tt.answers {
			t.Errorf("over %q: %q (%s), want answered %v", tt.sentence, ans.Text, ans.Reason, tt.answers)
		}
	}
}

// TestQuoteShowsTheVerbNextDoor: a sentence that answers with the asked
// verb in the sentence beside it is quoted with that sentence, so the
// answer shows what was done.
func TestQuoteShowsTheVerbNextDoor(t *testing.T) {
	t.Parallel()
	text := "The mayor wrote a long post about the storm on Friday. She praised the crews for their courage."
	art := &corpus.Article{Text: text}
	j := strings.Index(text, "She praised")
	first := sentenceView{article: art, span: corpus.Span{Start: 0, End: j - 1}, next: corpus.Span{Start: j, End: len(text)}}
	first.words = splitWords(text, first.span.Start, first.span.End)
	first.nextWords = splitWords(text, first.next.Start, first.next.End)
	first.adjacent = first.nextWords
	ref := time.Date(2031, 3, 22, 0, 0, 0, 0, time.UTC)
	a := analyse("What did the mayor praise in her post about the storm?", ref, func(string) float64 { return 1 }, func(string) bool { return true })
	if a.relation == "" {
		t.Fatalf("no relation read from the question")
	}
	var c checks
	ev := c.verify(&a, first)
	if ev.fail != "" {
		t.Fatalf("the first sentence fails: %s", ev.fail)
	}
	if got := quoteOf(ev.view); got != text {
		t.Errorf("quote %q, want both sentences", got)
	}

	// A sentence that holds the verb itself is quoted alone.
	second := sentenceView{article: art, span: first.next, prevSpan: first.span}
	second.words = first.nextWords
	second.prev, second.adjacent = first.words, first.words
	if ev := c.verify(&a, second); ev.fail == "" && quoteOf(ev.view) != text[j:] {
		t.Errorf("quote %q, want the second sentence alone", quoteOf(ev.view))
	}
}

// TestOccasionIsSaid: a "when" clause sets the occasion the question asks
// about; a sentence that never says what happened then answers another.
func TestOccasionIsSaid(t *testing.T) {
	t.Parallel()
	report := func(text string) fstest.MapFS {
		return fstest.MapFS{"harbour.md": {Data: []byte("---\ntitle: Storm at Kvarn\nsource: Wire Desk\npublished: 2031-06-14\n---\n" + text + "\n")}}
	}
	q := "How many fishermen did officials say were at the Kvarn harbour when the ferries sank?"
	for _, tt := range []struct {
		text, want string // want "" for a refusal
	}{
		{"Officials said forty fishermen were at the Kvarn harbour on Friday night. The ferries sank there before dawn.", "forty"},
		// The ferries sank another time, in another paragraph.
		{"Officials said forty fishermen were at the Kvarn harbour on Friday night.\n\nTwo ferries sank off Lysa last month.", ""},
	} {
		expectAnswer(t, miniExtractive(t, report(tt.text), true), q, tt.want, "over "+tt.text)
	}
	for q, want := range map[string][]string{
		"How old was the treaty when India put it in abeyance?": nil, // "put" says little
		"Until when is the heatwave expected to last?":          nil,
		"How old was Pope Francis when he was elected pope?":    {"elected"},
	} {
		if got := occasionVerbs(q); !slices.Equal(got, want) {
			t.Errorf("occasionVerbs(%q) = %q, want %q", q, got, want)
		}
	}
}

// expectAnswer asks e the question and reports, under label, an answer
// that does not hold want, or a refusal; want "" expects a refusal.
func expectAnswer(t *testing.T, e *Extractive, question, want, label string) Answer {
	t.Helper()
	ans, err := e.Answer(context.Background(), Question{Text: question}, nil)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case want == "" && !ans.Abstained:
		t.Errorf("%s: answered %q, want a refusal", label, ans.Text)
	case want != "" && (ans.Abstained || !strings.Contains(ans.Text, want)):
		t.Errorf("%s: %q (%s), want %q", label, ans.Text, ans.Reason, want)
	}
	return ans
}

// TestStrongerFirst: a sentence that lacks fewer of the question's words
// comes first, whatever the rarity-weighted coverage; then coverage, then
// the passage's rank.
func TestStrongerFirst(t *testing.T) {
	t.Parallel()
	ev := func(name string, coverage float64, missing, hit int) evidence {
		e := evidence{coverage: coverage, view: sentenceView{hit: hit}}
		for range missing {
			e.missing = append(e.missing, "w")
		}
		e.value = name
		return e
	}
	got := []evidence{ev("rare-name", 0.95, 2, 0), ev("says-more", 0.70, 0, 3), ev("same-but-later", 0.70, 0, 5), ev("one-missing", 0.99, 1, 1)}
	slices.SortStableFunc(got, strongerFirst)
	var order []string
	for _, e := range got {
		order = append(order, e.value)
	}
	if want := []string{"says-more", "same-but-later", "one-missing", "rare-name"}; !slices.Equal(order, want) {
		t.Errorf("order %q, want %q", order, want)
	}
}

// precisionCorpus dates things to a day, a month's end and a decade.
var precisionCorpus = fstest.MapFS{
	"dam.md": {Data: []byte(`---
title: Engineers reopen the Velm dam
source: Wire Desk
published: 2031-06-06
---
VELM — Engineers reopened the Velm dam's sluice gates on Tuesday after a week of repairs.

The regional water board expects the first monsoon rains to reach the valley at the end of the month.

The dam was built in the 1960s with a loan from the Harbour Bank.
`)},
}

// TestAskedPrecision: "on what date" is answered by a day, "which year" by
// one year; "the end of the month" and "the 1960s" answer only "when".
func TestAskedPrecision(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, precisionCorpus, true)
	tests := []struct {
		question string
		want     string // "" for a refusal
	}{
		{"On what date did engineers reopen the Velm dam's sluice gates?", "3 June 2031"},
		{"What day of the week did engineers reopen the sluice gates?", "Tuesday"},
		{"On what date does the water board expect the monsoon rains to reach the valley?", ""},
		{"When does the water board expect the monsoon rains to reach the valley?", "late June 2031"},
		{"In which year was the dam built with the Harbour Bank's loan?", ""},
		{"When was the dam built with the Harbour Bank's loan?", "1960"},
		{"When does the water board expect the monsoon rains to reach the valley, exact date?", ""},
	}
	for _, tt := range tests {
		expectAnswer(t, e, tt.question, tt.want, tt.question)
	}
}

// ageCorpus gives one person's age, not another's, and a crater's place
// but not its size.
var ageCorpus = fstest.MapFS{
	"raid.md": {Data: []byte(`---
title: Two killed in Velm raid
source: Wire Desk
published: 2031-06-06
---
VELM — Gunmen killed two guards at the Velm depot on Tuesday. One was Ansel Marek, 34, a father of three.

The other was Bruno Halt, a guard from the hill villages who tried to close the gate.

Officials showed images of a crater on the depot's runway.

On the road to the hill villages, engineers said, a shell had left a crater 12 metres wide.

The 1987 Velm accord set the depot's limits.

Commander Ilsa Varn said the guards had served at the depot since it was rebuilt in 2019.
`)},
}

// TestAgeAndSize: "how old" is answered by an age, or by the year a thing
// dates from; "how big" by a measure. A sentence about the person or the
// thing without them answers neither.
func TestAgeAndSize(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, ageCorpus, true)
	tests := []struct {
		question string
		want     string // "" for a refusal
	}{
		{"How old was Ansel Marek?", "34"},
		{"How old was Bruno Halt, the guard who tried to close the gate?", ""},
		{"How old is the Velm accord?", "1987"},
		// A year that dates something else is not her age.
		{"How old is Commander Ilsa Varn?", ""},
		{"How big was the crater on the road to the hill villages?", "12 metres"},
		{"How big was the crater on the depot's runway?", ""},
	}
	for _, tt := range tests {
		expectAnswer(t, e, tt.question, tt.want, tt.question)
	}
}

// carryCorpus names the day once and goes on from it, and opens a
// paragraph by pointing back at the one before.
var carryCorpus = fstest.MapFS{
	"council.md": {Data: []byte(`---
title: Velm council shuts the northern bridge after the depot raid
source: Wire Desk
published: 2031-06-06
---
VELM — The Velm council on Wednesday evening closed the northern bridge and suspended river trade, in its first measures since Monday's raid on the depot.

The decisions were taken at a meeting of the Harbour Board chaired by Mayor Ilsa Varn. Clerk Oren Tal announced them at a briefing shortly after 9 pm.
`)},
	"curfew.md": {Data: []byte(`---
title: Gunmen raid the Sarn depot
source: Wire Desk
published: 2031-06-06
---
In the early hours of 3 June, gunmen attacked the Sarn depot and wounded two guards.

Later the same day, the Sarn elders agreed to a curfew on the river quarter.
`)},
}

// TestDayInViewAndParagraphReference: a sentence is dated by the day the
// report last named ("Later the same day", a bare "9 pm"), not by a day
// said of another event ("since Monday's raid"); and a paragraph that
// opens by pointing back ("The decisions were taken…") is quoted with the
// one it points at, which says what the decisions were.
func TestDayInViewAndParagraphReference(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, carryCorpus, true)
	tests := []struct {
		question string
		want     string // "" for a refusal
	}{
		{"When did the Sarn elders agree to a curfew?", "3 June"},
		{"What measures did the council announce after the Harbour Board met on 4 June?", "northern bridge"},
		{"What did the council announce after the Harbour Board met on 2 June?", ""},
	}
	for _, tt := range tests {
		expectAnswer(t, e, tt.question, tt.want, tt.question)
	}
}

// peopleCorpus names a president with her country in one report and
// without it in the others.
var peopleCorpus = fstest.MapFS{
	"summit.md": {Data: []byte(`---
title: Leaders open the trade fair
source: Wire Desk
published: 2031-03-02
---
PARIS — French President Anne Morel opened the spring trade fair on Monday with the prime ministers of the river states.
`)},
	"floods.md": {Data: []byte(`---
title: Floods cut the river road
source: Wire Desk
published: 2031-03-03
---
President Anne Morel, asked about the floods at the summit, said: "We will rebuild every bridge. It will take years."
`)},
	"dam.md": {Data: []byte(`---
title: Engineers inspect the dam
source: Wire Desk
published: 2031-03-04
---
President Paul Morel, asked about the dam by reporters, said: "The dam will hold."
`)},
}

// TestTitlesFromOtherReports: a report that titles someone "President"
// answers what "the French president" said when another report calls
// them "French President" — the same person, by given name and surname —
// and only then.
func TestTitlesFromOtherReports(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, peopleCorpus, true)
	tests := []struct {
		question string
		want     string // "" for a refusal
	}{
		{"What did the French president say about the floods?", "rebuild every bridge. It will take years."},
		{"What did the French president say about the dam?", ""},
	}
	for _, tt := range tests {
		expectAnswer(t, e, tt.question, tt.want, tt.question)
	}
}

// TestQuoteEnd: a sentence that opens a quotation is quoted to its close,
// and on to the end of the sentence when the quotation closes on a comma
// before saying whose it is.
func TestQuoteEnd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text, first, want string
	}{
		{`He said: "It's a shame. We just heard." He added more.`, `He said: "It's a shame.`, `He said: "It's a shame. We just heard."`},
		{`"This was a mosque. Children were studying there," a resident said. Then it rained.`, `"This was a mosque.`, `"This was a mosque. Children were studying there," a resident said.`},
		{`He said “No. Never.” Then he left.`, `He said “No.`, `He said “No. Never.”`},
		{`He said: "It is over." Then he left.`, `He said: "It is over."`, ``},
		{"He said: \"It is over.\n\nThen\" he left.", `He said: "It is over.`, ``},
	}
	for _, tt := range tests {
		end, ok := quoteEnd(tt.text, corpus.Span{Start: 0, End: len(tt.first)})
		got := ""
		if ok {
			got = tt.text[:end]
		}
		if got != tt.want {
			t.Errorf("quoteEnd(%q after %q) = %q, want %q", tt.text, tt.first, got, tt.want)
		}
	}
}

// TestDistanceFromTheAskedPlace: a distance answers "how far from X" only
// when it is measured from X, whatever the dateline says.
func TestDistanceFromTheAskedPlace(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{"meadow.md": {Data: []byte(`---
title: Gunmen fire on visitors at the Sarn meadow
source: Wire Desk
published: 2031-06-06
---
VELM — Gunmen fired on visitors at the Sarn meadow, a clearing about six kilometres from Orla town, on Tuesday.
`)}}, true)
	tests := []struct {
		question string
		want     string // "" for a refusal
	}{
		{"How far is the Sarn meadow from Orla?", "six kilometres"},
		{"How far is the Sarn meadow from Velm?", ""},
	}
	for _, tt := range tests {
		expectAnswer(t, e, tt.question, tt.want, tt.question)
	}
}

// TestOneWordNameSpeaksForItself: "what did Varn tell Tal" asks for
// Varn's words; her spokesperson saying that she spoke to Tal is not them.
// A country still speaks through its officials.
func TestOneWordNameSpeaksForItself(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{
		"calls.md": {Data: []byte(`---
title: Envoy calls both capitals
source: Wire Desk
published: 2031-06-06
---
The Secretary-General, Ilsa Varn, spoke to both Oren Tal and Kai Orin on Tuesday, her spokesperson said.
`)},
		"talks.md": {Data: []byte(`---
title: Talks to resume in Velm
source: Wire Desk
published: 2031-06-07
---
Varn told Oren Tal on Wednesday that the river talks must resume within a week.

India's foreign ministry said the river talks would be watched closely.
`)},
	}, true)
	tests := []struct {
		question string
		want     string // "" for a refusal
	}{
		{"What did Varn tell Orin when she spoke to him on Tuesday?", ""},
		{"What did Varn tell Tal about the river talks?", "must resume within a week"},
		{"What did India say about the river talks?", "watched closely"},
	}
	for _, tt := range tests {
		expectAnswer(t, e, tt.question, tt.want, tt.question)
	}
}

// TestAgentOnlyAsAPlace: a sentence whose subject is another country, and
// that names the asked one only as where things happened, does not say
// what the asked one did.
func TestAgentOnlyAsAPlace(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{"strikes.md": {Data: []byte(`---
title: France strikes six sites
source: Wire Desk
published: 2031-06-06
---
France carried out strikes on six sites in Spain and Spain-administered islands on Tuesday, under what it called Operation Lantern.
`)}}, true)
	tests := []struct {
		question string
		want     string // "" for a refusal
	}{
		{"What did France call its strikes on Spain?", "Operation Lantern"},
		{"What did Spain call the French strikes?", ""},
	}
	for _, tt := range tests {
		expectAnswer(t, e, tt.question, tt.want, tt.question)
	}
}

// TestHeadlineSaysItHappened: "said it would hold the treaty in abeyance"
// is no more than an intention, unless the report's headline says it was
// done.
func TestHeadlineSaysItHappened(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{
		"treaty.md": {Data: []byte(`---
title: Norway holds fishing treaty in abeyance
source: Wire Desk
published: 2031-06-06
---
Norway said it would hold the 1966 Skagen Fishing Treaty in abeyance, a step it had never taken before.
`)},
		"accord.md": {Data: []byte(`---
title: Sweden weighs its options on the river accord
source: Wire Desk
published: 2031-06-06
---
Sweden said it would suspend the 1971 Vanern River Accord if the talks failed.
`)},
	}, true)
	tests := []struct {
		question string
		want     string // "" for a refusal
	}{
		{"Which treaty did Norway hold in abeyance?", "Skagen"},
		{"Which accord did Sweden suspend?", ""},
	}
	for _, tt := range tests {
		expectAnswer(t, e, tt.question, tt.want, tt.question)
	}
}

// TestFirstWordName: a question that opens with a name the corpus always
// capitalises ("Varn was promoted on what date?") names it, though a
// question's first word is capitalised anyway; an everyday word there
// ("Soldiers …") names nothing.
func TestFirstWordName(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{
		"orin.md": {Data: []byte(`---
title: Council promotes its engineer
source: Wire Desk
published: 2031-06-06
---
The council said Kai Orin was promoted to chief engineer on 5 June.
`)},
		"varn.md": {Data: []byte(`---
title: Council thanks the mayor
source: Wire Desk
published: 2031-06-06
---
The council thanked Ilsa Varn on Monday for her work on the bridge.
`)},
	}, true)
	tests := []struct {
		question string
		want     string // "" for a refusal
	}{
		{"Varn was promoted to chief engineer on what date?", ""},
		{"Orin was promoted to chief engineer on what date?", "5 June"},
	}
	for _, tt := range tests {
		expectAnswer(t, e, tt.question, tt.want, tt.question)
	}
}

// TestTitleAsked: "what is X's rank", "what job does X hold" are answered
// by the title a sentence gives X, which the question's words "rank",
// "job" and "hold" need not be in; a sentence naming X without a title
// does not answer.
func TestTitleAsked(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{"briefing.md": {Data: []byte(`---
title: Officers brief reporters on the river strikes
source: Wire Desk
published: 2031-06-06
---
Wing Commander Ilsa Varn briefed reporters on the strikes with satellite images on Tuesday.

Reporters later asked Kai Orin about the bridge, and he declined to comment.
`)}}, true)
	tests := []struct {
		question string
		want     string // "" for a refusal
	}{
		{"What is Ilsa Varn's rank?", "Wing Commander"},
		{"What job does Ilsa Varn hold?", "Wing Commander"},
		{"What rank does Kai Orin hold?", ""},
	}
	for _, tt := range tests {
		expectAnswer(t, e, tt.question, tt.want, tt.question)
	}
}

// TestSourceWords: the words a question uses for the source itself ("the
// wire piece", "the story") ask nothing a sentence must hold.
func TestSourceWords(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{"curfew.md": {Data: []byte(`---
title: Curfew in Velm
source: Wire Desk
published: 2031-06-06
---
Mayor Ilsa Varn announced a curfew on the river quarter on Tuesday.
`)}}, true)
	expectAnswer(t, e, "According to the wire piece, what did Ilsa Varn announce on Tuesday?", "curfew", "wire piece")
}

func TestCountsStandForThemselves(t *testing.T) {
	t.Parallel()
	sim, err := retrieval.LoadSimilarity()
	if err != nil {
		t.Fatal(err)
	}
	s := newCountsApart(sim)
	for _, tc := range []struct {
		a, b string
		near bool
	}{
		{"first", "second", false},
		{"two", "four", false},
		{"four-day", "two", false},
		{"first", "the", false},
		{"truce", "ceasefire", true},
	} {
		if got := s.Similar(tc.a, tc.b) > 0; got != tc.near {
			t.Errorf("Similar(%q, %q) > 0 = %v, want %v (table: %.2f)", tc.a, tc.b, got, tc.near, sim.Similar(tc.a, tc.b))
		}
	}

	// A sentence about the second match is no answer about the first,
	// even when it is the better search hit.
	e := miniExtractive(t, fstest.MapFS{"cup.md": {Data: []byte(`---
title: Velm Rovers level the cup series
source: Wire Desk
published: 2031-06-06
---
The second match of the cup series was played at Velm, and the match played at Velm drew a record crowd.

The first match of the series was played at Oster last month.
`)}}, false)
	expectAnswer(t, e, "Where was the first match of the cup series played?", "Oster", "ordinal")
}

func TestSurnameAskedIsNoAnswer(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{"return.md": {Data: []byte(`---
title: Varn cuts short her visit
source: Wire Desk
published: 2031-06-06
---
Prime Minister Ilsa Varn cut short a visit to Oster and returned to Velm on Monday night.

Foreign Minister Tomas Reil stayed on in Oster for talks.
`)}}, true)
	// The person the question names, with her title, is not who came
	// back with her.
	expectAnswer(t, e, "Who returned with Varn?", "", "own surname")
	expectAnswer(t, e, "Who stayed on in Oster?", "Tomas Reil", "another name")
}

func TestSpeakerWordThatOnlyQualifies(t *testing.T) {
	t.Parallel()
	const report = `---
title: Truce holds on the border
source: Wire Desk
published: 2031-06-06
---
Westmark's Foreign Secretary Piet Kaan said that Ostland's Director General of Military Operations had proposed the truce on Friday.

The Westmark government said the truce held, and that no Ostland military facility had been hit.
`
	// An office's name and a facility are not the military speaking.
	e := miniExtractive(t, fstest.MapFS{"truce.md": {Data: []byte(report)}}, true)
	expectAnswer(t, e, "What did Ostland's military say about the truce?", "", "qualifier only")

	// Its spokesman speaks for it.
	e = miniExtractive(t, fstest.MapFS{"truce.md": {Data: []byte(report + "\nOstland's military spokesman said the truce would be kept.\n")}}, true)
	expectAnswer(t, e, "What did Ostland's military say about the truce?", "would be kept", "spokesman")
}

func TestYearCountedFromNow(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{"heat.md": {Data: []byte(`---
title: Heatwave grips Velm
source: Wire Desk
published: 2031-06-06
---
Temperatures in Velm reached 48 degrees Celsius on Sunday, the highest in the country this year.
`)}}, false)
	// "Last year" counts from the newest report, and a sentence of this
	// year is not about it.
	expectAnswer(t, e, "What was Velm's highest temperature last year?", "", "last year")
	expectAnswer(t, e, "What was Velm's highest temperature this year?", "48 degrees", "this year")
}

func TestCountryAdjectiveNamesNoThing(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{"bases.md": {Data: []byte(`---
title: Missiles strike air bases
source: Wire Desk
published: 2031-06-06
---
Indian missiles struck three Pakistani air bases on Saturday, the military said.
`)}}, true)
	expectAnswer(t, e, "Which air base did the missiles strike on Saturday?", "", "whose, not which")
	expectAnswer(t, e, "Which country's air bases did the missiles strike on Saturday?", "Pakistani", "a country asked")
}

func TestSceneSettingClauseFirst(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"When the ministry revoked the visas, which kinds were exempt?": "Which kinds were exempt when the ministry revoked the visas?",
		"Once the truce began — how long did it hold?":                  "How long did it hold once the truce began?",
		"When did the ministry revoke the visas?":                       "When did the ministry revoke the visas?",
		"When the ministry revoked the visas on Thursday?":              "When the ministry revoked the visas on Thursday?",
	} {
		if got := frontClauseLast(in); got != want {
			t.Errorf("frontClauseLast(%q) = %q, want %q", in, got, want)
		}
	}

	e := miniExtractive(t, fstest.MapFS{"visas.md": {Data: []byte(`---
title: Velm revokes visas
source: Wire Desk
published: 2031-06-06
---
On Thursday the ministry revoked all visas issued to Ostland nationals.

The decision to revoke the visas was announced by Foreign Minister Tomas Reil.

Ostland responded on Thursday by calling the decision unjust.
`)}}, false)
	expectAnswer(t, e, "When the ministry revoked the visas, who announced the decision?", "Tomas Reil", "who, not when")
	// The moved clause is no later question asking when.
	expectAnswer(t, e, "When the ministry revoked the visas on Thursday, how did Ostland respond?", "unjust", "how, not when")
}

func TestWhatsTheDate(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{"treaty.md": {Data: []byte(`---
title: Velm freezes the water treaty
source: Wire Desk
published: 2031-06-06
---
Velm froze the water treaty with Ostland on 3 June, the ministry said.
`)}}, false)
	expectAnswer(t, e, "what's the date Velm froze the water treaty?", "3 June", "what's the date")
}

func TestPeopleCountedByKind(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{"drone.md": {Data: []byte(`---
title: Drone hits a house near Velm
source: Wire Desk
published: 2031-06-06
---
An armed drone hit a house in a village near Velm, wounding three members of a family.
`)}}, false)
	// Members of a family are people; "people" asks for any kind.
	expectAnswer(t, e, "How many people were wounded when the drone hit the house near Velm?", "three members", "people")
	// A count of one kind is still no count of another.
	expectAnswer(t, e, "How many soldiers were wounded when the drone hit the house near Velm?", "", "soldiers")
}

func TestLoneCapitalBeforeItsVerb(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{"talks.md": {Data: []byte(`---
title: Talks stall in Velm
source: Wire Desk
published: 2031-06-06
---
Before the talks began, Varn took a hard line, saying, "We will not bend on the river."
`)}}, false)
	// "Varn took": a capital before its own verb is a name, not an
	// adjective like "Ostland" in "Ostland troops".
	expectAnswer(t, e, `Who said "We will not bend on the river"?`, "Varn", "subject before its verb")
}

// TestTopicIsTheNounPhrase: what a statement is asked to be about is the
// noun phrase after "about", not the place or time that follows it.
func TestTopicIsTheNounPhrase(t *testing.T) {
	t.Parallel()
	ref := time.Date(2031, 3, 22, 0, 0, 0, 0, time.UTC)
	for q, want := range map[string]string{
		"What did Kell say about the drone attacks in his address to the nation?": "drone attacks",
		"What did Kell say about the strike, and when?":                           "strike",
		"What did Kell say about rebuilding the bridge?":                          "rebuilding bridge",
		"How did Westmark react to the claim that the dam was hit?":               "dam hit",
	} {
		a := analyse(q, ref, func(string) float64 { return 1 }, func(string) bool { return true })
		if got := strings.Join(a.topic, " "); got != want {
			t.Errorf("%q: topic %q, want %q", q, got, want)
		}
	}
}

func TestReadAskedPrecision(t *testing.T) {
	t.Parallel()
	tests := []struct {
		question string
		want     corpus.DatePrecision
		asked    bool
	}{
		{"On what date did the talks begin?", corpus.DayPrecision, true},
		{"What exact day was the accord signed?", corpus.DayPrecision, true},
		{"Which year did the war end?", corpus.YearPrecision, true},
		// Asked for after the question.
		{"When is the delegation due, exact date?", corpus.DayPrecision, true},
		{"When did the talks begin?", 0, false},
	}
	for _, tt := range tests {
		got, asked := askedPrecision(lowerWords(tt.question))
		if got != tt.want || asked != tt.asked {
			t.Errorf("%q: precision %v %v, want %v %v", tt.question, got, asked, tt.want, tt.asked)
		}
	}
}

// "Who is Lars Holm?" asks for his title, typed either way; "who's" is
// "who is" in every question.
func TestWhoIsAName(t *testing.T) {
	t.Parallel()
	read := func(q string) analysis {
		return analyse(q, time.Date(2031, 3, 14, 0, 0, 0, 0, time.UTC), func(string) float64 { return 1 }, func(string) bool { return true })
	}
	for _, q := range []string{"Who is Lars Holm?", "who's Lars Holm?", "Who’s Lars Holm?"} {
		if a := read(q); a.slot != slotTitle {
			t.Errorf("%q: slot %v, want a title", q, a.slot)
		}
	}
	for _, q := range []string{"Who is Lars Holm's deputy?", "Who is meeting Lars Holm?"} {
		if a := read(q); a.slot == slotTitle {
			t.Errorf("%q: asks a title, want a name", q)
		}
	}
	if got := expandWhIs("who's heading the army?"); got != "who is heading the army?" {
		t.Errorf("expandWhIs: %q", got)
	}
}

func TestCapitalSpeaksForItsCountry(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{"drones.md": {Data: []byte(`---
title: Drones over the border towns
source: Wire Desk
published: 2031-06-06
---
India accused Pakistan of sending drones over its border towns on Thursday.

Pakistan denied sending drones and accused India of staging the incursions.
`)}}, true)
	// "Pakistan denied" is Islamabad's answer, not another party's.
	expectAnswer(t, e, "When India accused Pakistan of sending drones, how did Islamabad respond?", "denied", "the country speaking by its capital's name")
}

func TestYearFramesTheAskedMonth(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{"envoy.md": {Data: []byte(`---
title: Velm names a new envoy
source: Wire Desk
published: 2031-06-06
---
Velm appointed Tomas Reil its envoy to Ostland on 3 June 2031.

Velm made Reil a deputy foreign minister in March 2029.
`)}}, false)
	// "Which month of 2030" asks for a month in 2030: a date of 2031 or
	// 2029 is another time, not the answer.
	expectAnswer(t, e, "In which month of 2030 did Velm make Reil a deputy foreign minister?", "", "another year")
	expectAnswer(t, e, "In which month of 2029 did Velm make Reil a deputy foreign minister?", "March 2029", "that year")
}

func TestNameAskedBeforeAClauseSubject(t *testing.T) {
	t.Parallel()
	unnamed := miniExtractive(t, fstest.MapFS{"calls.md": {Data: []byte(`---
title: Envoy calls both leaders
source: Wire Desk
published: 2031-06-06
---
The envoy, Ana Holm, spoke to both leaders on Tuesday, her spokesperson said.
`)}}, false)
	// The asked name is the spokesperson's; Holm is only who spoke
	// through them, and her own name is no answer.
	expectAnswer(t, unnamed, "What's the name of the spokesperson Holm spoke through?", "", "the spokesperson unnamed")

	named := miniExtractive(t, fstest.MapFS{"calls.md": {Data: []byte(`---
title: Envoy calls both leaders
source: Wire Desk
published: 2031-06-06
---
The envoy, Ana Holm, spoke to both leaders on Tuesday, her spokesperson Lev Tarn said.
`)}}, false)
	expectAnswer(t, named, "What's the name of the spokesperson Holm spoke through?", "Lev Tarn", "the spokesperson named")
}

func TestPassiveWhenAsksItsParticiple(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{"envoy.md": {Data: []byte(`---
title: Velm names a new envoy
source: Wire Desk
published: 2031-06-06
---
Velm appointed Tomas Reil its envoy to Ostland on 3 June 2031.

The envoy and the national security adviser, Ivo Marn, met the Ostland delegation over the past 48 hours.
`)}}, false)
	expectAnswer(t, e, "When was Tomas Reil appointed envoy?", "3 June 2031", "appointed")
	// Marn is dated only by a meeting: when he was appointed is not said.
	expectAnswer(t, e, "When was Ivo Marn appointed national security adviser?", "", "another event of his")
	// "Supposed to" frames the verb that follows; it is no event.
	expectAnswer(t, e, "When was Velm supposed to name its envoy?", "", "a modal frame")
}

func TestCountOfWhatTheQuestionOpensWith(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{"match.md": {Data: []byte(`---
title: Hosts win in four days
source: Wire Desk
published: 2031-06-06
---
The home spinners took eighteen wickets as the match ended inside four days in Velm.

The visitors lost six wickets in the second innings before lunch.
`)}}, false)
	// The count asked is of wickets: "four days" is none, and the six
	// wickets are the visitors' losses, which the question does ask.
	expectAnswer(t, e, "Of the eighteen wickets the home spinners took in Velm, how many came before lunch?", "six wickets", "wickets counted")
	expectAnswer(t, e, "Of the eighteen wickets the home spinners took in Velm, how many came on the first morning?", "", "no count of wickets then")
}

func TestSentenceOpeningArticleIsNoName(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{"strikes.md": {Data: []byte(`---
title: Pakistan calls the strikes an act of war
source: Wire Desk
published: 2031-06-06
---
The Indian government called the strikes focused and said no Pakistani army post was hit.
`)}}, true)
	// "The Indian" is no official: the sentence names a government,
	// and whose it is.
	expectAnswer(t, e, "Which Pakistani official called the strikes an act of war?", "", "no official named")
}

func TestReadEvent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		question, event string
		rel             dateRelation
	}{
		{"What happened before the ceasefire?", "ceasefire", dateBy},
		{"What did the shops sell after the Pahalgam attack?", "pahalgam attack", dateAfter},
		{"What did the army do after the ceasefire took effect?", "ceasefire", dateAfter},
		{"How long after the shooting started did the police arrive?", "shooting", dateAfter},
		// A statement's speaker is no event, nor is a span of days.
		{"What were the channels playing after the military said it had shot down five jets?", "", dateOn},
		{"What did each side claim after the four days of fighting?", "", dateOn},
	}
	for _, tt := range tests {
		event, _, rel := readEvent(tt.question)
		if event != tt.event || rel != tt.rel {
			t.Errorf("readEvent(%q) = %q, %v; want %q, %v", tt.question, event, rel, tt.event, tt.rel)
		}
	}
}

func TestOrdinalSaysWhichOne(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{"golf.md": {Data: []byte(`---
title: Marek wins at last
source: Wire Desk
published: 2031-06-06
---
VELM — Ansel Marek won the Velm Open on Sunday, a year after losing it in a play-off.

Marek shot a third-round 64, a course record.

The club's members chose him as captain on the fourth ballot.
`)}}, true)
	// The event is named once, in the lead; the ordinal, joined to the
	// asked noun or before it, says which one.
	expectAnswer(t, e, "In which round of the Velm Open did Marek shoot 64?", "third-round", "an ordinal compound")
	expectAnswer(t, e, "On which ballot did the members choose Marek as captain?", "fourth ballot", "an ordinal word")
	expectAnswer(t, e, "In which round of the Velm Open did Marek shoot 70?", "", "another score")
}

func TestProgressiveVerbIsAsked(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{"shelling.md": {Data: []byte(`---
title: Shelling empties Velm
source: Wire Desk
published: 2031-06-06
---
Hundreds of families left Velm for the coast in private cars and buses as the shelling went on.

In the old town, people were queuing outside the pharmacies for medicine.
`)}}, false)
	// "What were people queuing up for" asks what they queued for: the
	// families who left are no answer.
	expectAnswer(t, e, "What were people in Velm queuing up for while families were leaving for the coast?", "medicine", "the verb said")
	expectAnswer(t, e, "What were people in Velm buying while families were leaving for the coast?", "", "the verb unsaid")
}

func TestWhatTheyDiedOf(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, fstest.MapFS{"deaths.md": {Data: []byte(`---
title: Former guard Ansel Marek dies at 80
source: Wire Desk
published: 2031-06-06
---
Ansel Marek died on Tuesday at the age of 80.
`)}, "wounded.md": {Data: []byte(`---
title: Guard dies in hospital
source: Wire Desk
published: 2031-06-06
---
Bruno Halt died of his wounds in hospital on Wednesday.
`)}}, true)
	// "What did X die of" asks a cause: when and how old is none.
	expectAnswer(t, e, "What did Ansel Marek die of?", "", "no cause given")
	expectAnswer(t, e, "What did Bruno Halt die of?", "his wounds", "the cause")
}
