package bot

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/internal/fakediscord"
	"github.com/crisisbot/crisisbot/retrieval"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// goldenAnswer is an answer as the LLM answerer gives one, over the shared
// evaluation corpus: two citations of one article and one of another, each
// quoting the article's own sentence. The answer is fixed here, not
// computed, so the golden file shows what the bot sends for an answer, and
// changes only when that does.
func goldenAnswer(tb testing.TB, ix *retrieval.Index) answer.Answer {
	tb.Helper()
	cite := func(n int, id, quote string) answer.Citation {
		a := ix.Article(id)
		if a == nil {
			tb.Fatalf("the shared corpus lacks %s", id)
		}
		if !strings.Contains(a.Text, quote) {
			tb.Fatalf("%s does not say %q", id, quote)
		}
		return answer.Citation{N: n, Article: a.ID, Title: a.Title, URL: a.URL, Published: a.Published, Quote: quote}
	}
	return answer.Answer{
		Mode: answer.ModeLLM,
		Text: "President Trump announced the ceasefire on Saturday, 10 May [1]. India said the two militaries had agreed it directly, " +
			"to take effect at 17:00 IST [2]; Pakistani officials said it was India that had sought it [3].",
		Citations: []answer.Citation{
			cite(1, "cws-ceasefire-announced", `WASHINGTON (CWS) — President Donald Trump announced on Saturday that India and Pakistan had agreed to a "full and immediate ceasefire" after four days of missile, drone and artillery attacks, saying the deal followed "a long night of talks mediated by the United States".`),
			cite(2, "cws-ceasefire-announced", `It was agreed between them that both sides would stop all firing and military action on land and in the air and sea with effect from 1700 hours Indian Standard Time.`),
			cite(3, "ls-ceasefire-view", `LAHORE — Pakistani officials said on Sunday that it was India that had sought the ceasefire agreed on Saturday, approaching Washington for help after Operation Bunyan-um-Marsoos struck Indian military bases, as the country observed a day of thanksgiving.`),
		},
	}
}

// TestDiscordGoldenReplies records one /ask and one /sources exchange as
// Discord receives them — every request body the bot sent for the
// interaction, in order — and compares them with the golden files under
// testdata/ (go test -run Golden -update rewrites them). Only the
// interaction's IDs and the index's build time, which change per run, are
// replaced by placeholders.
func TestDiscordGoldenReplies(t *testing.T) {
	t.Parallel()
	lib := v2Library(t)
	h := newDiscordHarness(t, DiscordConfig{}, &stubAnswerer{answer: goldenAnswer(t, lib.Current())}, lib)

	ask := h.srv.DispatchInteraction(ask("When did the ceasefire take effect, and who asked for it?"))
	h.waitHandled(t, ask.ID)
	checkGolden(t, "ask.golden.json", exchange(t, h.srv, ask))

	src := h.srv.DispatchInteraction(fakediscord.Slash("sources", fakediscord.String("search", "ceasefire")))
	h.waitHandled(t, src.ID)
	checkGolden(t, "sources.golden.json", exchange(t, h.srv, src))
}

// builtRE matches the index's build time in /sources, as the JSON the bot
// sends writes it (encoding/json escapes < and >).
var builtRE = regexp.MustCompile(`(<|\\u003c)t:\d+:R(>|\\u003e)`)

// exchange returns the requests the bot made for the interaction it, as
// indented JSON with its varying parts replaced.
func exchange(tb testing.TB, srv *fakediscord.Server, it *discordgo.Interaction) []byte {
	tb.Helper()
	type request struct {
		Method string          `json:"method"`
		Path   string          `json:"path"`
		Body   json.RawMessage `json:"body"`
	}
	var out []request
	for _, r := range srv.InteractionResponses(it.Token) {
		path := strings.NewReplacer(it.ID, "{interaction.id}", it.Token, "{interaction.token}", it.AppID, "{application.id}").Replace(r.Endpoint())
		out = append(out, request{Method: r.Method, Path: path, Body: r.JSON})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	return append(builtRE.ReplaceAll(b, []byte("${1}t:{index.built}:R${2}")), '\n')
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -run Golden -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from what the bot sent (go test -run Golden -update rewrites it):\n%s", path, got)
	}
}
