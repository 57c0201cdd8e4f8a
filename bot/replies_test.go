package bot

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/fakediscord"
	"github.com/crisisbot/crisisbot/retrieval"
)

// v2Corpus is the shared evaluation corpus, beside the repository: its
// articles all have outlets, dates and URLs.
const v2Corpus = "../../shared/eval/v2/corpus"

// v2Library indexes the shared evaluation corpus in memory, or skips the
// test when it is absent.
func v2Library(tb testing.TB) *retrieval.Library {
	tb.Helper()
	if _, err := os.Stat(v2Corpus); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("the shared evaluation corpus is missing in CI: %v", err)
		}
		tb.Skipf("no shared evaluation corpus: %v", err)
	}
	lib, err := retrieval.NewLibrary(retrieval.LibraryConfig{Settings: retrieval.Settings{Embedder: "hash-test"}}, retrieval.HashEmbedder(64),
		func(ctx context.Context) (*corpus.Result, error) {
			return corpus.LoadDir(ctx, v2Corpus, corpus.Options{})
		}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := lib.Open(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return lib
}

func TestSourceHeading(t *testing.T) {
	t.Parallel()
	may10 := time.Date(2025, 5, 10, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		a    corpus.Article
		want string
	}{
		{"linked", corpus.Article{ID: "cws", Title: "Trump announces a ceasefire", URL: "https://capitalwire.example/2025/05/10/ceasefire", Source: "Capital Wire Service", Published: may10},
			"Capital Wire Service · 10 May 2025 · [Trump announces a ceasefire](<https://capitalwire.example/2025/05/10/ceasefire>)"},
		{"no address: no link made up", corpus.Article{ID: "rubio-calls-munir", Title: "Rubio reaches out", Source: "seed article (wire report, New York dateline)", Published: may10},
			"seed article (wire report, New York dateline) · 10 May 2025 · Rubio reaches out"},
		{"not a web address", corpus.Article{ID: "x", Title: "Script", URL: "javascript:alert(1)"}, "Script"},
		{"address too long to link", corpus.Article{ID: "x", Title: "Long", URL: "https://news.example/" + strings.Repeat("a", maxLinkLen)}, "Long"},
		{"no title", corpus.Article{ID: "2025/05/wire", Published: may10}, "10 May 2025 · 2025/05/wire"},
		{"outlet with Markdown", corpus.Article{ID: "x", Title: "T", Source: "[Verify](https://phish.example) *Wire*"}, "\\[Verify\\](`https://phish.example)` \\*Wire\\* · T"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sourceHeading(&tt.a); got != tt.want {
				t.Errorf("sourceHeading() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSourceHeadingsLinkEvalArticles: every article of the shared set has
// an address, and its heading links its title there, after its outlet and
// date.
func TestSourceHeadingsLinkEvalArticles(t *testing.T) {
	t.Parallel()
	ix := v2Library(t).Current()
	if len(ix.Articles()) < 20 {
		t.Fatalf("%d articles in the shared set", len(ix.Articles()))
	}
	for _, a := range ix.Articles() {
		got := sourceHeading(a)
		want := a.Source + " · " + a.Published.Format(headingDate) + " · [" + escapeTitle(a.Title) + "](<" + a.URL + ">)"
		if got != want {
			t.Errorf("%s: heading %q, want %q", a.ID, got, want)
		}
		if links := linksIn(got); len(links) != 1 || links[0].url != a.URL {
			t.Errorf("%s: links %+v, want the one to %s", a.ID, links, a.URL)
		}
	}
}

// TestRenderSourcesGroupsAndQuotesOnce: an article cited twice is listed
// once with both numbers; a quote the answer already is isn't printed
// again; one it isn't is, marked with its number.
func TestRenderSourcesGroupsAndQuotesOnce(t *testing.T) {
	t.Parallel()
	ix := v2Library(t).Current()
	cws := ix.Article("cws-ceasefire-announced")
	ls := ix.Article("ls-ceasefire-view")
	if cws == nil || ls == nil {
		t.Fatal("the shared set lacks the ceasefire articles")
	}
	const (
		trump = `President Donald Trump announced on Saturday that India and Pakistan had agreed to a "full and immediate ceasefire".`
		misri = "It was agreed between them that both sides would stop all firing."
		dar   = "Pakistan and India have agreed to a ceasefire with immediate effect."
	)
	cite := func(n int, a *corpus.Article, quote string) answer.Citation {
		return answer.Citation{N: n, Article: a.ID, Title: a.Title, URL: a.URL, Published: a.Published, Quote: quote}
	}
	a := answer.Answer{
		Text:      trump + " [1] India's account differs [2], as does Pakistan's [3].",
		Citations: []answer.Citation{cite(1, cws, trump), cite(2, ls, dar), cite(3, cws, misri)},
	}
	got := renderSources(a.Citations, a.Text, layout{article: ix.Article})
	want := "**Sources**\n" +
		"[1][3] " + sourceHeading(cws) + "\n" +
		"> [3] " + misri + "\n" +
		"[2] " + sourceHeading(ls) + "\n" +
		"> " + dar
	if got != want {
		t.Errorf("sources:\n%s\nwant:\n%s", got, want)
	}
}

// TestRefusalSaysWhatWasMissing: a refusal names what no source has and
// points to /sources.
func TestRefusalSaysWhatWasMissing(t *testing.T) {
	t.Parallel()
	e, lib := newTestExtractive(t)
	ans, err := e.Answer(context.Background(), answer.Question{Text: "Did Rubio sign a pact with Munir?"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := &Discord{lib: lib}
	got := strings.Join(d.askReply("Did Rubio sign a pact with Munir?", ans).parts, "\n")
	want := "**Q:** Did Rubio sign a pact with Munir?\n\n" + answer.NoAnswer + " No source mentions “pact”. `/sources` lists the articles I answer from."
	if got != want {
		t.Errorf("refusal:\n%s\nwant:\n%s", got, want)
	}
	// Without a known reason, the refusal still points to /sources.
	plain := renderReply(answer.Answer{Text: answer.NoAnswer, Abstained: true, Mode: answer.ModeLLM}, layout{}).parts
	if len(plain) != 1 || plain[0] != answer.NoAnswer+" "+sourcesHint {
		t.Errorf("refusal without a reason: %q", plain)
	}
}

// TestAskDeclaresEnforcedLength: Discord stops the user at the length the
// bot enforces.
func TestAskDeclaresEnforcedLength(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		cfg  DiscordConfig
		want int
	}{{DiscordConfig{}, 500}, {DiscordConfig{MaxQuestionLen: 300}, 300}} {
		var got int
		for _, c := range CommandsFor(tt.cfg) {
			if c.Name == "ask" {
				for _, o := range c.Options {
					if o.Name == "question" {
						got = o.MaxLength
					}
				}
			}
		}
		if got != tt.want {
			t.Errorf("MaxQuestionLen %d: /ask declares a maximum of %d, want %d", tt.cfg.MaxQuestionLen, got, tt.want)
		}
	}
}

// TestDiscordSourcesPrivatePaging: /sources answers privately, and its
// page buttons page only the presser's view; a press on a page posted
// publicly (before /sources answered privately) gets its page privately.
func TestDiscordSourcesPrivatePaging(t *testing.T) {
	t.Parallel()
	lib := v2Library(t)
	h := newDiscordHarness(t, DiscordConfig{}, &stubAnswerer{}, lib)
	it := h.srv.DispatchInteraction(fakediscord.Slash("sources"))
	h.waitHandled(t, it.ID)
	first := h.srv.OriginalMessage(it.Token)
	if first == nil || first.Flags&discordgo.MessageFlagsEphemeral == 0 || !strings.Contains(first.Content, "Articles 1–") || discordLen(first.Content) > MessageLimit {
		t.Fatalf("/sources replied %+v, want the first page, ephemeral", first)
	}
	if strings.Count(first.Content, "](<https://") < 5 {
		t.Errorf("the first page links %d articles, want at least 5:\n%s", strings.Count(first.Content, "](<https://"), first.Content)
	}
	next := buttonOn(t, first, "Next")
	press := h.srv.DispatchInteraction(fakediscord.Button(next, first.ID))
	h.waitHandled(t, press.ID)
	cbs := callbacks(t, h.srv, press)
	if len(cbs) != 1 || cbs[0]["type"] != float64(discordgo.InteractionResponseUpdateMessage) {
		t.Fatalf("the press answered %v, want an update of the private page", cbs)
	}
	second := h.srv.OriginalMessage(it.Token)
	if strings.Contains(second.Content, "Articles 1–") || !strings.Contains(second.Content, "of 30.") {
		t.Errorf("after Next the page says %q", second.Content)
	}
	// Previous leads back to the first page.
	back := h.srv.DispatchInteraction(fakediscord.Button(buttonOn(t, second, "Previous"), first.ID))
	h.waitHandled(t, back.ID)
	if m := h.srv.OriginalMessage(it.Token); m.Content != first.Content {
		t.Errorf("Previous gave %q, want the first page again", m.Content)
	}

	// A public page, as the bot posted them before.
	public, err := h.bot.s.ChannelMessageSendComplex(fakediscord.DefaultChannelID, &discordgo.MessageSend{Content: "Page 1 of 3.", AllowedMentions: noMentions(),
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Next", Style: discordgo.SecondaryButton, CustomID: "sources:1:"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	press = h.srv.DispatchInteraction(fakediscord.Button("sources:1:", public.ID))
	h.waitHandled(t, press.ID)
	cbs = callbacks(t, h.srv, press)
	data, _ := cbs[0]["data"].(map[string]any)
	flags, _ := data["flags"].(float64)
	if cbs[0]["type"] != float64(discordgo.InteractionResponseChannelMessageWithSource) || discordgo.MessageFlags(flags)&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("a press on a public page answered %v, want the page as a private message", cbs[0])
	}
	for _, m := range h.srv.Messages(fakediscord.DefaultChannelID) {
		if m.ID == public.ID && m.Content != "Page 1 of 3." {
			t.Errorf("the public page changed for everyone: %q", m.Content)
		}
	}
}

// buttonOn returns the custom ID of m's button labelled label.
func buttonOn(tb testing.TB, m *discordgo.Message, label string) string {
	tb.Helper()
	for _, row := range m.Components {
		if r, ok := row.(*discordgo.ActionsRow); ok {
			for _, c := range r.Components {
				if b, ok := c.(*discordgo.Button); ok && b.Label == label {
					return b.CustomID
				}
			}
		}
	}
	tb.Fatalf("no %q button on %q", label, m.Content)
	return ""
}

// TestAskRepliesLinkEvalSources asks the extractive answerer over the
// shared set: every cited article is named once, linked to its address,
// and no quoted sentence is printed twice.
func TestAskRepliesLinkEvalSources(t *testing.T) {
	t.Parallel()
	lib := v2Library(t)
	ranks, err := retrieval.EnglishWordRanks()
	if err != nil {
		t.Fatal(err)
	}
	e := answer.NewExtractive(answer.ExtractiveConfig{}, lib, ranks)
	d := &Discord{lib: lib}
	answered := 0
	for _, q := range []string{"When was the ceasefire announced?", "Who announced the ceasefire on Saturday?", "When did the ceasefire take effect?"} {
		ans, err := e.Answer(context.Background(), answer.Question{Text: q}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ans.Abstained {
			continue
		}
		answered++
		reply := strings.Join(d.askReply(q, ans).parts, "\n")
		for _, c := range ans.Citations {
			a := lib.Current().Article(c.Article)
			if n := strings.Count(reply, "](<"+a.URL+">)"); n != 1 {
				t.Errorf("%q: %s is linked %d times, want once:\n%s", q, a.ID, n, reply)
			}
			if n := strings.Count(reply, escapeMarkdown(c.Quote)); n != 1 {
				t.Errorf("%q: the quote of [%d] appears %d times, want once:\n%s", q, c.N, n, reply)
			}
		}
	}
	if answered == 0 {
		t.Fatal("none of the questions was answered from the shared set")
	}
}
