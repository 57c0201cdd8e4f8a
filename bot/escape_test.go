package bot

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/fakediscord"
	"github.com/crisisbot/crisisbot/retrieval"
)

// hostileURL ends the link it is put in and starts one of its own.
const hostileURL = "https://news.example/a>) [Verify your account](https://phish.example/login) (<x"

// discordLink is one link as Discord's Markdown reads a message.
type discordLink struct{ text, url string }

var (
	// maskedLinkRE is a masked link, its address with or without <…>.
	maskedLinkRE = regexp.MustCompile(`\[((?:\\.|[^\\\[\]])*)\]\(\s*<?([^\s<>()]+)>?\s*\)`)
	autoLinkRE   = regexp.MustCompile(`https?://[^\s<>]+`)
	codeSpanRE   = regexp.MustCompile("`[^`]*`")
)

// linksIn returns the links Discord would make clickable in a message:
// masked links whose opening bracket is not escaped, then bare addresses
// outside them and outside code.
func linksIn(msg string) []discordLink {
	var out []discordLink
	rest := []byte(msg)
	for _, m := range maskedLinkRE.FindAllSubmatchIndex([]byte(msg), -1) {
		if m[0] > 0 && msg[m[0]-1] == '\\' {
			continue
		}
		out = append(out, discordLink{text: msg[m[2]:m[3]], url: msg[m[4]:m[5]]})
		for i := m[0]; i < m[1]; i++ {
			rest[i] = ' '
		}
	}
	bare := codeSpanRE.ReplaceAllStringFunc(string(rest), func(s string) string { return strings.Repeat(" ", len(s)) })
	for _, u := range autoLinkRE.FindAllString(bare, -1) {
		out = append(out, discordLink{url: u})
	}
	return out
}

// TestRenderSourcesHostile is issue 10.3: a source's URL, title and quote
// come from articles anyone could have written. The rendered message holds
// exactly one link per linked source, each to the source's own host, and
// none of the Markdown the articles carry.
func TestRenderSourcesHostile(t *testing.T) {
	cites := []answer.Citation{
		{N: 1, Article: "a", Title: "Ceasefire holds", URL: hostileURL,
			Quote: "# Breaking\n> fake quote [click here](https://phish.example/q) ||spoiler|| *bold* _it_ ~~gone~~ <@&123> visit https://phish.example/bare now"},
		{N: 2, Article: "b", Title: "[Verify](https://phish.example/t) ||hidden|| # title", URL: "https://wire.example/b?q=a b)(c"},
		{N: 3, Article: "c", Title: "Script", URL: "javascript:alert(1)", Quote: "- a list item"},
		{N: 4, Article: "d", Title: "Local file", URL: "file:///etc/passwd", Quote: "1. first"},
	}
	msg := strings.Join(RenderAnswer(answer.Answer{Text: "Talks resumed [1][2]. Also [3], [4]. [Win](https://phish.example/ans) ||x||", Citations: cites}, MessageLimit), "\n")
	links := linksIn(msg)
	if len(links) != 2 {
		t.Fatalf("%d links %+v, want one for each of the two http(s) sources:\n%s", len(links), links, msg)
	}
	for n, want := range []string{"news.example", "wire.example"} {
		u, err := url.Parse(links[n].url)
		if err != nil || u.Host != want {
			t.Errorf("link %d goes to %q, want host %s", n+1, links[n].url, want)
		}
	}
	for _, l := range links {
		if strings.Contains(l.text, "Verify") && strings.Contains(l.url, "phish") {
			t.Errorf("a phishing link survived: %+v", l)
		}
	}
	for _, line := range strings.Split(msg, "\n") {
		body := strings.TrimPrefix(line, "> ")
		for _, start := range []string{"#", ">", "- ", "1. "} {
			if strings.HasPrefix(body, start) {
				t.Errorf("a line starts with Markdown %q: %q", start, line)
			}
		}
	}
	for _, raw := range []string{"||", "~~", "<@&"} {
		if strings.Contains(strings.ReplaceAll(msg, `\`+raw[:1], ""), raw) {
			t.Errorf("unescaped %q in:\n%s", raw, msg)
		}
	}
	// The escaped text still reads as written, and the markers stay.
	for _, want := range []string{"[1][2]", "[3]", "\\*bold\\*", "`https://phish.example/bare`", "[3] Script", "[4] Local file"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

func TestLinkURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/a", "https://example.com/a"},
		{"http://example.com/a?b=c#d", "http://example.com/a?b=c#d"},
		{hostileURL, "https://news.example/a%3E%29%20%5BVerify%20your%20account%5D%28https://phish.example/login%29%20%28%3Cx"},
		{"https://example.com/p?q=a b>(c)[d]", "https://example.com/p?q=a%20b%3E%28c%29%5Bd%5D"},
		{"https://paypal.com@phish.example/", "https://phish.example/"},
		{"javascript:alert(1)", ""},
		{"file:///etc/passwd", ""},
		{"//example.com/a", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := linkURL(tt.in); got != tt.want {
			t.Errorf("linkURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestDiscordSourcesHostileURL sends the hostile URL through /ask and
// /sources on the fake Discord.
func TestDiscordSourcesHostileURL(t *testing.T) {
	t.Parallel()
	stub := &stubAnswerer{answer: answer.Answer{Text: "Talks resumed [1].", Mode: answer.ModeLLM,
		Citations: []answer.Citation{{N: 1, Article: "a", Title: "Ceasefire holds", URL: hostileURL, Quote: "Talks resumed."}}}}
	article := "---\ntitle: \"[Verify](https://phish.example/t) Ceasefire ||holds||\"\nurl: \"" + hostileURL + "\"\n---\nTalks resumed on Monday.\n"
	lib, err := retrieval.NewLibrary(retrieval.LibraryConfig{Settings: retrieval.Settings{Embedder: "hash-test"}}, retrieval.HashEmbedder(64),
		func(ctx context.Context) (*corpus.Result, error) {
			return corpus.Load(ctx, fstest.MapFS{"hostile.md": {Data: []byte(article)}}, corpus.Options{})
		}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := newDiscordHarness(t, DiscordConfig{}, stub, lib)
	it := h.srv.DispatchInteraction(ask("What happened?"))
	reply := h.waitReply(t, it, func(s string) bool { return strings.Contains(s, "Sources") })
	checkOneNewsLink(t, reply)

	src := h.srv.DispatchInteraction(fakediscord.Slash("sources", fakediscord.String("search", "ceasefire")))
	h.waitHandled(t, src.ID)
	checkOneNewsLink(t, h.srv.OriginalMessage(src.Token).Content)
}

func checkOneNewsLink(t *testing.T, msg string) {
	t.Helper()
	links := linksIn(msg)
	if len(links) != 1 {
		t.Fatalf("%d links %+v, want 1:\n%s", len(links), links, msg)
	}
	if u, err := url.Parse(links[0].url); err != nil || u.Host != "news.example" {
		t.Errorf("the link goes to %q, want news.example", links[0].url)
	}
}
