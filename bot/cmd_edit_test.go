package bot

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/editor"
	"github.com/crisisbot/crisisbot/internal/fakediscord"
	"github.com/crisisbot/crisisbot/internal/fetch"
	"github.com/crisisbot/crisisbot/internal/fetch/fetchtest"
	"github.com/crisisbot/crisisbot/retrieval"
)

var moderator = fakediscord.User{ID: "600", Username: "modmina"}

// editHarness is the bot over a writable corpus directory, with an editor
// whose fetcher may reach loopback test servers only if allowLoopback.
type editHarness struct {
	*discordHarness
	lib       *retrieval.Library
	editor    *editor.Editor
	corpusDir string
	trashDir  string
}

func newEditHarness(t *testing.T, allowLoopback bool) *editHarness {
	t.Helper()
	return newEditHarnessWith(t, allowLoopback, DiscordConfig{})
}

// newEditHarnessWith is newEditHarness with the bot configured by cfg.
func newEditHarnessWith(t *testing.T, allowLoopback bool, cfg DiscordConfig) *editHarness {
	t.Helper()
	corpusDir, trash := t.TempDir(), filepath.Join(t.TempDir(), "trash")
	seed, err := os.ReadFile(filepath.Join("..", "corpus", "builtin", "rubio-calls-munir.md"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(corpusDir, "rubio-calls-munir.md"), seed, 0o644); err != nil {
		t.Fatal(err)
	}
	// A second article, so that removing one leaves a corpus to index.
	other := "---\ntitle: Markets steady\npublished: 2025-05-05\n---\nShares were steady on Monday as traders watched the border.\n"
	if err := os.WriteFile(filepath.Join(corpusDir, "markets.md"), []byte(other), 0o644); err != nil {
		t.Fatal(err)
	}
	lib, err := retrieval.NewLibrary(retrieval.LibraryConfig{Settings: retrieval.Settings{Embedder: "h"}}, retrieval.HashEmbedder(64),
		func(ctx context.Context) (*corpus.Result, error) {
			return corpus.LoadDir(ctx, corpusDir, corpus.Options{})
		}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	store, err := corpus.NewStore(corpusDir, trash, corpus.Options{}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	var opts []fetch.Option
	if allowLoopback {
		opts = append(opts, fetchtest.AllowLoopback(t))
	}
	ed, err := editor.New(store, fetch.New(fetch.Config{Timeout: 5 * time.Second}, opts...), lib)
	if err != nil {
		t.Fatal(err)
	}
	h := newDiscordHarnessWith(t, cfg, answer.NewExtractive(answer.ExtractiveConfig{}, lib, nil), lib, ed)
	return &editHarness{discordHarness: h, lib: lib, editor: ed, corpusDir: corpusDir, trashDir: trash}
}

// press clicks the button labelled label on the interaction's reply.
func (h *editHarness) press(t *testing.T, it *discordgo.Interaction, label string) *discordgo.Interaction {
	t.Helper()
	m := h.srv.OriginalMessage(it.Token)
	if m == nil {
		t.Fatalf("no reply to press %q on", label)
	}
	for _, row := range m.Components {
		r, ok := row.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range r.Components {
			if b, ok := c.(*discordgo.Button); ok && b.Label == label {
				spec := fakediscord.Button(b.CustomID, m.ID).As(moderator, discordgo.PermissionManageGuild)
				return h.srv.DispatchInteraction(spec)
			}
		}
	}
	t.Fatalf("no %q button on %q", label, m.Content)
	return nil
}

func newsServer(t *testing.T) *httptest.Server {
	t.Helper()
	page, err := os.ReadFile(filepath.Join("..", "corpus", "testdata", "fetch-news-page.html"))
	if err != nil {
		t.Fatal(err)
	}
	copied := regexp.MustCompile(`<link rel="canonical"[^>]*>|<meta property="og:url"[^>]*>`).ReplaceAll(page, nil)
	copied = bytes.Replace(copied, []byte("<head>"), []byte(`<head><link rel="canonical" href="https://mirror.example.org/world/ceasefire">`), 1)
	md := "---\ntitle: Airports reopen in northern India\nsource: Wire\npublished: 2025-05-12\n---\nThirty-two airports closed during the strikes reopened on Monday, the civil aviation ministry said.\n\nFlights to Srinagar, Jammu and Amritsar resumed in the afternoon.\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/world/ceasefire-holds":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(page)
		case "/world/copied":
			// The same story, claiming to be another site's.
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(copied)
		case "/attachments/photo.txt":
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"))
		case "/attachments/airports.md":
			w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
			w.Write([]byte(md))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestDiscordAddByURLAndUndo(t *testing.T) {
	h := newEditHarness(t, true)
	news := newsServer(t)
	it := h.srv.DispatchInteraction(fakediscord.Slash("add", fakediscord.String("url", news.URL+"/world/ceasefire-holds")).As(moderator, discordgo.PermissionManageGuild))
	reply := h.waitReply(t, it, func(s string) bool { return strings.Contains(s, "Added") || strings.Contains(s, "Not added") })
	for _, want := range []string{"**Added**", "Ceasefire holds on first night along the Line of Control", "11 May 2025", "The Frontier Post", "characters", "> ", "Undo"} {
		if !strings.Contains(reply, want) {
			t.Errorf("reply lacks %q:\n%s", want, reply)
		}
	}
	if m := h.srv.OriginalMessage(it.Token); m.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Error("the /add reply should be private to the moderator")
	}
	var added *corpus.Article
	for _, a := range h.lib.Current().Articles() {
		if strings.Contains(a.Title, "Ceasefire holds") {
			added = a
		}
	}
	if added == nil || added.AddedBy != "modmina" || added.AddedAt.IsZero() {
		t.Fatalf("added article not indexed with its attribution: %+v", added)
	}
	// The page's boilerplate, ads and related-articles list stay out.
	for _, junk := range []string{"ADVERT-CSS", "COOKIE-BANNER", "FOOTER", "INLINE-AD", "LEADERBOARD-AD", "NAV-MARKER", "NEWSLETTER", "RELATED", "SCRIPT-TRACKER", "SHARE-MARKER"} {
		if strings.Contains(added.Text, junk) {
			t.Errorf("boilerplate %q reached the article text", junk)
		}
	}
	t.Logf("one /add reply as the fake recorded it:\n%s", h.srv.Transcript())

	// The same article again is recognised, wherever it is linked from.
	again := h.srv.DispatchInteraction(fakediscord.Slash("add", fakediscord.String("url", news.URL+"/world/ceasefire-holds?utm_source=x")).As(moderator, discordgo.PermissionManageGuild))
	dup := h.waitReply(t, again, nonEmpty)
	if want := "Not added; nothing was changed. That article is already in the corpus as " + added.ID + " (the same address)."; dup != want {
		t.Errorf("duplicate reply %q, want %q", dup, want)
	}
	h.checkForPeople(t, dup)

	// /sources says who added it and when.
	src := h.srv.DispatchInteraction(fakediscord.Slash("sources", fakediscord.String("search", "ceasefire holds")))
	if listing := h.waitReply(t, src, nonEmpty); !strings.Contains(listing, "added by modmina on ") {
		t.Errorf("/sources does not attribute the article:\n%s", listing)
	}

	// Undo moves it to the trash and out of the index.
	undo := h.press(t, it, "Undo")
	h.waitReply(t, undo, func(s string) bool { return strings.Contains(s, "Undone") })
	if h.lib.Current().Article(added.ID) != nil {
		t.Error("undone article still indexed")
	}
	if entries, _ := os.ReadDir(h.trashDir); len(entries) != 1 {
		t.Errorf("trash holds %d files, want the undone article", len(entries))
	}
}

// TestDiscordAddShowsForeignCanonical: a page that names another site's
// address as its own keeps the address it was fetched from, and the reply
// shows both.
func TestDiscordAddShowsForeignCanonical(t *testing.T) {
	h := newEditHarness(t, true)
	news := newsServer(t)
	fetched := news.URL + "/world/copied"
	it := h.srv.DispatchInteraction(fakediscord.Slash("add", fakediscord.String("url", fetched)).As(moderator, discordgo.PermissionManageGuild))
	reply := h.waitReply(t, it, func(s string) bool { return strings.Contains(s, "Added") || strings.Contains(s, "Not added") })
	for _, want := range []string{"Address: <" + fetched + ">", "<https://mirror.example.org/world/ceasefire>"} {
		if !strings.Contains(reply, want) {
			t.Errorf("reply lacks %q:\n%s", want, reply)
		}
	}
	for _, a := range h.lib.Current().Articles() {
		if strings.Contains(a.Title, "Ceasefire holds") && a.URL != fetched {
			t.Errorf("article URL %q, want the fetched %q", a.URL, fetched)
		}
	}
}

func TestDiscordAddByAttachment(t *testing.T) {
	h := newEditHarness(t, true)
	news := newsServer(t)
	spec := fakediscord.Slash("add", fakediscord.AttachmentOption("file", "9001")).As(moderator, discordgo.PermissionManageGuild)
	spec.Attachments = []fakediscord.Attachment{{ID: "9001", Filename: "airports.md", ContentType: "text/markdown; charset=utf-8", URL: news.URL + "/attachments/airports.md", Size: 220}}
	it := h.srv.DispatchInteraction(spec)
	reply := h.waitReply(t, it, func(s string) bool { return strings.Contains(s, "Added") || strings.Contains(s, "Not added") })
	if !strings.Contains(reply, "Airports reopen in northern India") || !strings.Contains(reply, "12 May 2025") {
		t.Errorf("reply %q", reply)
	}
	ans, err := answer.NewExtractive(answer.ExtractiveConfig{}, h.lib, nil).Answer(context.Background(), answer.Question{Text: "How many airports reopened?"}, nil)
	if err != nil || !strings.Contains(ans.Text, "Thirty-two") {
		t.Errorf("the attached article is not answerable: %q %v", ans.Text, err)
	}
}

func TestDiscordAddRefusesURLs(t *testing.T) {
	h := newEditHarness(t, false)
	news := newsServer(t)
	const notPublic = "That address is not public, so it can't be fetched."
	for _, tt := range []struct{ url, want string }{
		{news.URL + "/world/ceasefire-holds", notPublic}, // loopback: refused outside tests
		{"http://10.1.2.3/", notPublic},
		{"http://192.168.1.1/news", notPublic},
		{"http://169.254.169.254/latest/meta-data/", notPublic},
		{"http://[::1]/", notPublic},
		{"ftp://example.com/a.html", "Only http and https links can be fetched."},
		{"file:///etc/passwd", "Only http and https links can be fetched."},
	} {
		t.Run(tt.url, func(t *testing.T) {
			before, _ := os.ReadDir(h.corpusDir)
			it := h.srv.DispatchInteraction(fakediscord.Slash("add", fakediscord.String("url", tt.url)).As(moderator, discordgo.PermissionManageGuild))
			reply := h.waitReply(t, it, nonEmpty)
			if want := "Not added; nothing was changed. " + tt.want; reply != want {
				t.Errorf("reply %q, want %q", reply, want)
			}
			h.checkForPeople(t, reply)
			after, _ := os.ReadDir(h.corpusDir)
			if len(after) != len(before) {
				t.Errorf("corpus changed: %d files, then %d", len(before), len(after))
			}
		})
	}
}

func TestDiscordRemoveConfirmAndUndo(t *testing.T) {
	h := newEditHarness(t, true)
	// Autocomplete offers the article by title.
	ac := h.srv.DispatchInteraction(fakediscord.Autocomplete("remove", fakediscord.Focused("article", "rubio")).As(moderator, discordgo.PermissionManageGuild))
	deadline := time.Now().Add(10 * time.Second)
	var choices []*discordgo.ApplicationCommandOptionChoice
	for len(choices) == 0 && time.Now().Before(deadline) {
		choices = h.srv.AutocompleteChoices(ac.Token)
		time.Sleep(10 * time.Millisecond)
	}
	if len(choices) != 1 || choices[0].Value != "rubio-calls-munir" { // "markets" does not match
		t.Fatalf("autocomplete choices %+v", choices)
	}

	it := h.srv.DispatchInteraction(fakediscord.Slash("remove", fakediscord.String("article", "rubio-calls-munir")).As(moderator, discordgo.PermissionManageGuild))
	confirm := h.waitReply(t, it, nonEmpty)
	if !strings.Contains(confirm, "Remove **Rubio reaches out") {
		t.Fatalf("confirmation %q", confirm)
	}
	if h.lib.Current().Article("rubio-calls-munir") == nil {
		t.Fatal("removed before confirmation")
	}
	press := h.press(t, it, "Remove")
	removed := h.waitReply(t, press, func(s string) bool { return strings.HasPrefix(s, "Removed") })
	if want := "Removed **Rubio reaches out to Pakistan's army chief as India-Pakistan confrontation widens** (`rubio-calls-munir`). Undo restores it."; !strings.HasPrefix(removed, want) {
		t.Errorf("reply %q, want it to start %q", removed, want)
	}
	// The button interaction edits the confirmation message in place.
	if h.lib.Current().Article("rubio-calls-munir") != nil {
		t.Error("article still indexed after removal")
	}
	if _, err := os.Stat(filepath.Join(h.corpusDir, "rubio-calls-munir.md")); err == nil {
		t.Error("file still in the corpus")
	}
	undo := h.press(t, it, "Undo")
	restored := h.waitReply(t, undo, func(s string) bool { return strings.HasPrefix(s, "Restored") })
	if want := "Restored **Rubio reaches out to Pakistan's army chief as India-Pakistan confrontation widens** (`rubio-calls-munir`)."; restored != want {
		t.Errorf("reply %q, want %q", restored, want)
	}
	if h.lib.Current().Article("rubio-calls-munir") == nil {
		t.Error("restored article not indexed")
	}

	// Cancel keeps it.
	it2 := h.srv.DispatchInteraction(fakediscord.Slash("remove", fakediscord.String("article", "rubio-calls-munir")).As(moderator, discordgo.PermissionManageGuild))
	h.waitReply(t, it2, nonEmpty)
	cancel := h.press(t, it2, "Cancel")
	h.waitReply(t, cancel, func(s string) bool { return strings.HasPrefix(s, "Kept") })
	if h.lib.Current().Article("rubio-calls-munir") == nil {
		t.Error("cancel removed the article")
	}
}

func TestDiscordEditRefusedForMembers(t *testing.T) {
	h := newEditHarness(t, true)
	member := fakediscord.User{ID: "601", Username: "member"}
	for _, spec := range []fakediscord.InteractionSpec{
		fakediscord.Slash("add", fakediscord.String("url", "https://example.com/a")).As(member, discordgo.PermissionSendMessages),
		fakediscord.Slash("remove", fakediscord.String("article", "rubio-calls-munir")).As(member, 0),
		fakediscord.Slash("add", fakediscord.String("url", "https://example.com/a")).InDM(),
	} {
		it := h.srv.DispatchInteraction(spec)
		reply := h.waitReply(t, it, nonEmpty)
		if !strings.Contains(reply, "Only moderators") {
			t.Errorf("%s got %q, want a refusal", spec.Name, reply)
		}
	}
	if h.lib.Current().Article("rubio-calls-munir") == nil {
		t.Error("a member's /remove removed the article")
	}
}

// checkForPeople fails the test if reply, shown to a moderator, holds what
// is not written for people: a path of the corpus or the trash (or any
// temporary directory), the text of a Go error, or a bad format verb.
func (h *editHarness) checkForPeople(t *testing.T, reply string) {
	t.Helper()
	for _, bad := range []string{h.corpusDir, h.trashDir, os.TempDir() + "/", "open ", "stat ", "no such file", "%!", "127.0.0.1", ".go:"} {
		if strings.Contains(reply, bad) {
			t.Errorf("reply %q holds %q", reply, bad)
		}
	}
}

// TestDiscordEditFailuresReadForPeople: a failed /add, /remove or undo
// says in a sentence what went wrong, and shows no path or Go error.
func TestDiscordEditFailuresReadForPeople(t *testing.T) {
	h := newEditHarness(t, true)
	news := newsServer(t)
	mod := func(spec fakediscord.InteractionSpec) *discordgo.Interaction {
		return h.srv.DispatchInteraction(spec.As(moderator, discordgo.PermissionManageGuild))
	}
	attach := func(name, path string) fakediscord.InteractionSpec {
		spec := fakediscord.Slash("add", fakediscord.AttachmentOption("file", "9002"))
		spec.Attachments = []fakediscord.Attachment{{ID: "9002", Filename: name, URL: news.URL + path, Size: 10}}
		return spec
	}
	for _, tt := range []struct {
		name string
		spec fakediscord.InteractionSpec
		want string
	}{
		{"404", fakediscord.Slash("add", fakediscord.String("url", news.URL+"/gone")), "That page could not be fetched: the server answered 404."},
		{"not an article file", attach("report.pdf", "/attachments/airports.md"), "That file is not a .md, .txt or .html article."},
		{"attachment gone", attach("airports.md", "/attachments/gone.md"), "That file could not be fetched: the server answered 404."},
		{"binary attachment", attach("photo.txt", "/attachments/photo.txt"), "That file is not text: it holds binary data."},
		{"not a link", fakediscord.Slash("add", fakediscord.String("url", "ceasefire holds")), "That is not a web link: give the whole address, starting https://."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			reply := h.waitReply(t, mod(tt.spec), nonEmpty)
			if want := "Not added; nothing was changed. " + tt.want; reply != want {
				t.Errorf("reply %q, want %q", reply, want)
			}
			h.checkForPeople(t, reply)
		})
	}

	t.Run("remove a file gone behind the index's back", func(t *testing.T) {
		it := mod(fakediscord.Slash("remove", fakediscord.String("article", "markets")))
		h.waitReply(t, it, nonEmpty)
		if err := os.Remove(filepath.Join(h.corpusDir, "markets.md")); err != nil {
			t.Fatal(err)
		}
		reply := h.waitReply(t, h.press(t, it, "Remove"), func(s string) bool { return strings.HasPrefix(s, "Could not") })
		if want := "Could not remove `markets`: There is no article markets in the corpus."; reply != want {
			t.Errorf("reply %q, want %q", reply, want)
		}
		h.checkForPeople(t, reply)
	})

	t.Run("undo a removal over a new file", func(t *testing.T) {
		it := mod(fakediscord.Slash("remove", fakediscord.String("article", "rubio-calls-munir")))
		h.waitReply(t, it, nonEmpty)
		h.waitReply(t, h.press(t, it, "Remove"), func(s string) bool { return strings.HasPrefix(s, "Removed") })
		if err := os.WriteFile(filepath.Join(h.corpusDir, "rubio-calls-munir.md"), []byte("Someone else's text."), 0o644); err != nil {
			t.Fatal(err)
		}
		reply := h.waitReply(t, h.press(t, it, "Undo"), func(s string) bool { return strings.HasPrefix(s, "Could not") })
		if want := "Could not restore `rubio-calls-munir`: A file is back where rubio-calls-munir was, so it was not restored over it."; reply != want {
			t.Errorf("reply %q, want %q", reply, want)
		}
		h.checkForPeople(t, reply)
	})

	t.Run("the corpus directory is gone", func(t *testing.T) {
		if err := os.RemoveAll(h.corpusDir); err != nil {
			t.Fatal(err)
		}
		reply := h.waitReply(t, mod(fakediscord.Slash("add", fakediscord.String("url", news.URL+"/world/ceasefire-holds"))), nonEmpty)
		if want := "Not added; nothing was changed. Something went wrong on crisisbot's side; the log says what."; reply != want {
			t.Errorf("reply %q, want %q", reply, want)
		}
		h.checkForPeople(t, reply)
		if logs := h.logs.String(); !strings.Contains(logs, h.corpusDir) {
			t.Errorf("the log does not hold the cause naming the corpus directory:\n%s", logs)
		}
	})
}
