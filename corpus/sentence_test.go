package corpus_test

import (
	"slices"
	"testing"

	"github.com/crisisbot/crisisbot/corpus"
)

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"empty", "", nil},
		{"white space only", " \n\n\t ", nil},
		{"simple", "One. Two! Three? Four", []string{"One.", "Two!", "Three?", "Four"}},
		{"trimmed", "  \n Leading and trailing.  \n", []string{"Leading and trailing."}},
		{"lower case does not start a sentence", "It was 5 p.m. and dark. then more", []string{"It was 5 p.m. and dark. then more"}},
		{"titles", "Mr. Smith met Dr. Jones and Gen. Munir. They talked.", []string{"Mr. Smith met Dr. Jones and Gen. Munir.", "They talked."}},
		{"military ranks", "Lt. Col. Sofiya Qureshi and Maj. Gen. Rana spoke. Capt. Singh and Sgt. Rao did not.", []string{"Lt. Col. Sofiya Qureshi and Maj. Gen. Rana spoke.", "Capt. Singh and Sgt. Rao did not."}},
		{"other abbreviations", "Acme Inc. Ltd. and St. Louis vs. Boston, e.g. Jones, i.e. Smith, No. 10 and Prof. Sen.", []string{"Acme Inc. Ltd. and St. Louis vs. Boston, e.g. Jones, i.e. Smith, No. 10 and Prof. Sen."}},
		{"months", "On Jan. 5 and Sept. 12, Oct. 3 too. Then Dec. 25.", []string{"On Jan. 5 and Sept. 12, Oct. 3 too.", "Then Dec. 25."}},
		{"country initialisms", "The U.S. President and the U.K. Foreign Office and the U.N. Security Council met.", []string{"The U.S. President and the U.K. Foreign Office and the U.N. Security Council met."}},
		{"initialism ending a sentence", "He flew to the U.S. The talks began at 9 a.m. He left.", []string{"He flew to the U.S.", "The talks began at 9 a.m.", "He left."}},
		{"initials", "Minister S. Jaishankar met J. D. Vance and J.D. Smith.", []string{"Minister S. Jaishankar met J. D. Vance and J.D. Smith."}},
		{"initial before I", "Written by J. I. Packer. I agree.", []string{"Written by J. I. Packer.", "I agree."}},
		{"decimals and numbers", "Prices rose 3.5 percent to $1.25. The index fell 0.6 points. 26 people died.", []string{"Prices rose 3.5 percent to $1.25.", "The index fell 0.6 points.", "26 people died."}},
		{"No. as a word", "The answer was no. We moved on. He said No. Then left.", []string{"The answer was no.", "We moved on.", "He said No.", "Then left."}},
		{"closing quote stays", `He said "stop." Then he left. She asked, "Why?" He shrugged.`, []string{`He said "stop."`, "Then he left.", `She asked, "Why?"`, "He shrugged."}},
		{"curly quotes", "She said, “It is over.” Talks resumed. ‘Fine.’ He nodded.", []string{"She said, “It is over.”", "Talks resumed.", "‘Fine.’", "He nodded."}},
		{"quote then lower case continues", `"Why?" he asked. "Because." She smiled.`, []string{`"Why?" he asked.`, `"Because."`, "She smiled."}},
		{"next sentence opens with a quote or bracket", `It ended. "Good," she said. (Reporting by Reuters.) Next.`, []string{"It ended.", `"Good," she said.`, "(Reporting by Reuters.)", "Next."}},
		{"ellipsis", "Wait... Then go… Now.", []string{"Wait...", "Then go…", "Now."}},
		{"repeated terminators", "Really?! Yes!!! OK.", []string{"Really?!", "Yes!!!", "OK."}},
		{"paragraph breaks end sentences", "A heading\n\nText without a stop\n\n\nLast one", []string{"A heading", "Text without a stop", "Last one"}},
		{"single newline does not", "one line\ncontinues here. Next.", []string{"one line\ncontinues here.", "Next."}},
		{"no space after stop", "Visit example.com. Or x.Y now.", []string{"Visit example.com.", "Or x.Y now."}},
		{"uncased script", "पहला वाक्य. दूसरा वाक्य.", []string{"पहला वाक्य.", "दूसरा वाक्य."}},
		{
			"seed: quote before the stop",
			`State Department Spokesperson Tammy Bruce said on Friday, "Secretary of State Marco Rubio spoke with Pakistani Army Chief Asim Munir earlier today". The call came as Pakistan and India ratcheted up their confrontation.`,
			[]string{
				`State Department Spokesperson Tammy Bruce said on Friday, "Secretary of State Marco Rubio spoke with Pakistani Army Chief Asim Munir earlier today".`,
				"The call came as Pakistan and India ratcheted up their confrontation.",
			},
		},
		{
			"seed: S. Jaishankar",
			`The same day, he also called India's External Affairs Minister S. Jaishankar with a similar message urging de-escalation, while emphasising the US "commitment to work with India in the fight against terrorism", according to the spokesperson.`,
			[]string{`The same day, he also called India's External Affairs Minister S. Jaishankar with a similar message urging de-escalation, while emphasising the US "commitment to work with India in the fight against terrorism", according to the spokesperson.`},
		},
		{
			"seed: quoted sentence inside, then a fragment",
			`Before India launched its operation, Trump took a hands-off position, saying, "I am sure they'll figure it out one way or the other". But has since been urging the two countries to de-escalate.`,
			[]string{
				`Before India launched its operation, Trump took a hands-off position, saying, "I am sure they'll figure it out one way or the other".`,
				"But has since been urging the two countries to de-escalate.",
			},
		},
		{
			"seed: closing quote after the stop, comma-space quote",
			`In an interview to Fox News on Thursday, he said, "What we can do is try to encourage these folks to de-escalate a little bit, but we're not going to get involved in the middle of a war that's fundamentally none of our business and has nothing to do with America's ability to control it." Before India launched its operation, Trump took a hands-off position. "The US President wants to see the confrontation de-escalate as quickly as possible, " Donald Trump's spokesperson Karoline Levitt said on Friday.`,
			[]string{
				`In an interview to Fox News on Thursday, he said, "What we can do is try to encourage these folks to de-escalate a little bit, but we're not going to get involved in the middle of a war that's fundamentally none of our business and has nothing to do with America's ability to control it."`,
				"Before India launched its operation, Trump took a hands-off position.",
				`"The US President wants to see the confrontation de-escalate as quickly as possible, " Donald Trump's spokesperson Karoline Levitt said on Friday.`,
			},
		},
		{
			"seed: three sentences on one line",
			"Trump is more focused on the Gaza war, where a ceasefire between Israel and Hamas that Washington helped broker has broken down. Next week, he will be close to the latest conflict in South Asia. He is scheduled to visit Saudi Arabia, Qatar, and the United Arab Emirates, where the Gaza conflict will be high on the agenda.",
			[]string{
				"Trump is more focused on the Gaza war, where a ceasefire between Israel and Hamas that Washington helped broker has broken down.",
				"Next week, he will be close to the latest conflict in South Asia.",
				"He is scheduled to visit Saudi Arabia, Qatar, and the United Arab Emirates, where the Gaza conflict will be high on the agenda.",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spans := corpus.SplitSentences(tt.text)
			checkSpans(t, tt.text, spans)
			var got []string
			for _, s := range spans {
				got = append(got, tt.text[s.Start:s.End])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("SplitSentences(%q):\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}
