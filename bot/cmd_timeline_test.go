package bot

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/fakediscord"
	"github.com/crisisbot/crisisbot/retrieval"
)

// harbourLibrary indexes n articles, each reporting one event of its own
// day in its own town, so the timeline runs to several pages.
func harbourLibrary(t *testing.T, n int) *retrieval.Library {
	t.Helper()
	res := &corpus.Result{}
	for k := range n {
		text := fmt.Sprintf("---\ntitle: Harbour plan %d\nsource: Coast Gazette\nurl: https://coast.example/%d\npublished: 2031-04-%02d\n---\n"+
			"On %d March 2031 the council of Town%c%c approved harbour plan number %d, which widens the quay and dredges the channel for larger ferries.\n",
			k, k, k%28+1, k%28+1, 'A'+k/26, 'a'+k%26, k)
		a, err := corpus.Parse(fmt.Sprintf("plan-%02d.md", k), []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		res.Articles = append(res.Articles, a)
	}
	lib, err := retrieval.NewLibrary(retrieval.LibraryConfig{Settings: retrieval.Settings{Embedder: "h"}}, retrieval.HashEmbedder(64),
		func(context.Context) (*corpus.Result, error) { return res, nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	return lib
}

// pressOn clicks the button labelled label on message m as user u.
func pressOn(t *testing.T, srv *fakediscord.Server, m *discordgo.Message, label string, u fakediscord.User) *discordgo.Interaction {
	t.Helper()
	for _, row := range m.Components {
		r, ok := row.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range r.Components {
			if b, ok := c.(*discordgo.Button); ok && b.Label == label {
				if b.Disabled {
					t.Fatalf("the %q button is disabled on %q", label, m.Content)
				}
				return srv.DispatchInteraction(fakediscord.Button(b.CustomID, m.ID).As(u, 0))
			}
		}
	}
	t.Fatalf("no %q button on %q", label, m.Content)
	return nil
}

func TestDiscordTimelinePaging(t *testing.T) {
	t.Parallel()
	lib := harbourLibrary(t, 28)
	h := newDiscordHarness(t, DiscordConfig{}, answer.NewExtractive(answer.ExtractiveConfig{}, lib, nil), lib)
	it := h.srv.DispatchInteraction(fakediscord.Slash("timeline"))
	first := h.waitReply(t, it, func(s string) bool { return strings.Contains(s, "Page 1 of") })
	for _, want := range []string{"**Timeline**: 28 events", "**Saturday, 1 March 2031** — On 1 March 2031 the council of TownAa", "[Coast Gazette](<https://coast.example/0>) · 1 April 2031"} {
		if !strings.Contains(first, want) {
			t.Errorf("first page lacks %q:\n%s", want, first)
		}
	}
	if len(first) > MessageLimit {
		t.Errorf("first page is %d characters", len(first))
	}
	public := h.srv.OriginalMessage(it.Token)
	if public.Flags&discordgo.MessageFlagsEphemeral != 0 {
		t.Fatal("the /timeline reply is private; want it in the channel")
	}

	// Another member turns the page: they get page 2 to themselves, and
	// the channel's message stays on page 1.
	reader := fakediscord.User{ID: "701", Username: "reader"}
	next := pressOn(t, h.srv, public, "Next", reader)
	page2 := h.waitReply(t, next, func(s string) bool { return strings.Contains(s, "Page 2 of") })
	own := h.srv.OriginalMessage(next.Token)
	if own.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Error("a page turned from the channel's message is shown to everyone")
	}
	if strings.Contains(page2, "TownAa ") || !strings.Contains(page2, "Town") {
		t.Errorf("page 2 repeats page 1 or holds no events:\n%s", page2)
	}
	if got := h.srv.OriginalMessage(it.Token).Content; got != first {
		t.Errorf("the channel's message changed:\n%s", got)
	}

	// On their own page the buttons turn it in place.
	again := pressOn(t, h.srv, own, "Next", reader)
	h.waitReply(t, again, func(s string) bool { return strings.Contains(s, "Page 3 of") })
	turned := h.srv.OriginalMessage(again.Token)
	if turned.ID != own.ID {
		t.Errorf("page 3 came as message %s, want the private page %s turned", turned.ID, own.ID)
	}
	back := pressOn(t, h.srv, turned, "Previous", reader)
	h.waitReply(t, back, func(s string) bool { return strings.Contains(s, "Page 2 of") })
	h.srv.AssertValid(t)
}

func TestDiscordTimelineOptions(t *testing.T) {
	t.Parallel()
	lib := harbourLibrary(t, 6)
	h := newDiscordHarness(t, DiscordConfig{}, answer.NewExtractive(answer.ExtractiveConfig{}, lib, nil), lib)
	it := h.srv.DispatchInteraction(fakediscord.Slash("timeline", fakediscord.String("from", "2031-03-03"), fakediscord.String("to", "4 March 2031")))
	got := h.waitReply(t, it, func(s string) bool { return strings.Contains(s, "Timeline") })
	if !strings.Contains(got, "2 events from 3 March 2031 to 4 March 2031") || strings.Contains(got, "Page") {
		t.Errorf("from/to reply:\n%s", got)
	}
	it = h.srv.DispatchInteraction(fakediscord.Slash("timeline", fakediscord.String("topic", "TownAc")))
	if got := h.waitReply(t, it, func(s string) bool { return strings.Contains(s, "Timeline") }); !strings.Contains(got, "1 events about “TownAc”") {
		t.Errorf("topic reply:\n%s", got)
	}
	it = h.srv.DispatchInteraction(fakediscord.Slash("timeline", fakediscord.String("from", "someday")))
	if got := h.waitReply(t, it, nonEmpty); !strings.Contains(got, "not a date") {
		t.Errorf("bad date reply:\n%s", got)
	}
}

func TestDiscordWhatsNewAfterAddAndLabel(t *testing.T) {
	h := newEditHarness(t, true)
	news := newsServer(t)
	it := h.srv.DispatchInteraction(fakediscord.Slash("add", fakediscord.String("url", news.URL+"/world/ceasefire-holds")).As(moderator, discordgo.PermissionManageGuild))
	added := h.waitReply(t, it, func(s string) bool { return strings.Contains(s, "Added") || strings.Contains(s, "Not added") })
	if !strings.Contains(added, "The Frontier Post (origin unlabelled: /label sets it)") {
		t.Errorf("/add does not show the new outlet as unlabelled:\n%s", added)
	}

	it = h.srv.DispatchInteraction(fakediscord.Slash("whatsnew"))
	got := h.waitReply(t, it, nonEmpty)
	title := "Ceasefire holds on first night along the Line of Control"
	for _, want := range []string{"**What's new**: 3 article(s)", title, "The Frontier Post", "11 May 2025", "added <t:", "\n> "} {
		if !strings.Contains(got, want) {
			t.Errorf("/whatsnew lacks %q:\n%s", want, got)
		}
	}
	if i, j := strings.Index(got, title), strings.Index(got, "Markets steady"); i < 0 || j < 0 || i > j {
		t.Errorf("the article just added is not first:\n%s", got)
	}
	if n := strings.Count(got[strings.Index(got, title):strings.Index(got, "Markets steady")], "\n> "); n != 2 {
		t.Errorf("the added article has %d sentences quoted, want 2:\n%s", n, got)
	}

	it = h.srv.DispatchInteraction(fakediscord.Slash("label", fakediscord.String("outlet", "The Frontier Post"), fakediscord.String("origin", "pakistani")).As(moderator, discordgo.PermissionManageGuild))
	if got := h.waitReply(t, it, func(s string) bool { return strings.Contains(s, "labelled") || strings.Contains(s, "Not") }); !strings.Contains(got, "**The Frontier Post** is now labelled **Pakistani**. 1 article(s) are from it.") {
		t.Errorf("/label reply:\n%s", got)
	}
	if data, err := os.ReadFile(filepath.Join(h.corpusDir, corpus.SourcesFile)); err != nil || !strings.Contains(string(data), "The Frontier Post: pakistani") {
		t.Errorf("sources.yaml = %q, %v", data, err)
	}
	it = h.srv.DispatchInteraction(fakediscord.Slash("sources", fakediscord.String("origin", "pakistani")))
	got = h.waitReply(t, it, nonEmpty)
	if !strings.Contains(got, "1 matching") || !strings.Contains(got, "· Pakistani") || strings.Contains(got, "Markets steady") {
		t.Errorf("/sources origin:pakistani:\n%s", got)
	}
	it = h.srv.DispatchInteraction(fakediscord.Slash("whatsnew", fakediscord.String("since", "1h")))
	if got := h.waitReply(t, it, nonEmpty); !strings.Contains(got, "The Frontier Post · Pakistani · 11 May 2025") && !strings.Contains(got, "· Pakistani · 11 May 2025") {
		t.Errorf("/whatsnew after /label does not show the origin:\n%s", got)
	}

	it = h.srv.DispatchInteraction(fakediscord.Slash("label", fakediscord.String("outlet", "X"), fakediscord.String("origin", "y")))
	if got := h.waitReply(t, it, nonEmpty); !strings.Contains(got, "Only moderators") {
		t.Errorf("a member's /label:\n%s", got)
	}
}
