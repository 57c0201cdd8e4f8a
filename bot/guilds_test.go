package bot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/internal/fakediscord"
)

// A server crisisbot is not set up for, and a channel in it.
const (
	otherGuild   = "1299999999999999999"
	otherChannel = "1399999999999999999"
)

const moderatorsElsewhere = "Moderator commands work only in the servers crisisbot is set up for."

// TestDiscordModeratorCommandsOnlyInConfiguredGuilds is issue 10.1: anyone
// can add the bot to a server of their own, where they have Manage Server
// (or are an administrator). There, /reload, /add and /remove are refused
// and change nothing; in the configured server the same member is served.
func TestDiscordModeratorCommandsOnlyInConfiguredGuilds(t *testing.T) {
	t.Parallel()
	h := newEditHarness(t, true)
	news := newsServer(t)
	// An article waiting in the corpus directory for a reload.
	fresh := "---\ntitle: Airspace reopens\n---\nPakistan reopened its airspace on Sunday.\n"
	if err := os.WriteFile(filepath.Join(h.corpusDir, "airspace.md"), []byte(fresh), 0o644); err != nil {
		t.Fatal(err)
	}
	owner := fakediscord.User{ID: "700", Username: "otherowner"}
	corpusFiles := func() int {
		entries, err := os.ReadDir(h.corpusDir)
		if err != nil {
			t.Fatal(err)
		}
		return len(entries)
	}
	files := corpusFiles()
	elsewhere := []struct {
		name string
		spec fakediscord.InteractionSpec
	}{
		{"reload, Manage Server", fakediscord.Slash("reload").As(owner, discordgo.PermissionManageGuild)},
		{"reload, administrator", fakediscord.Slash("reload").As(owner, discordgo.PermissionAdministrator)},
		{"add", fakediscord.Slash("add", fakediscord.String("url", news.URL+"/world/ceasefire-holds")).As(owner, discordgo.PermissionManageGuild)},
		{"remove", fakediscord.Slash("remove", fakediscord.String("article", "rubio-calls-munir")).As(owner, discordgo.PermissionManageGuild)},
	}
	for _, tt := range elsewhere {
		it := h.srv.DispatchInteraction(tt.spec.In(otherGuild, otherChannel))
		h.waitHandled(t, it.ID)
		cbs := callbacks(t, h.srv, it)
		if len(cbs) != 1 {
			t.Fatalf("%s: %d callbacks, want one refusal: %v", tt.name, len(cbs), cbs)
		}
		data, _ := cbs[0]["data"].(map[string]any)
		if cbs[0]["type"] != float64(4) || data["flags"] != float64(discordgo.MessageFlagsEphemeral) || data["content"] != moderatorsElsewhere {
			t.Errorf("%s in another server: callback %v, want the private refusal %q", tt.name, cbs[0], moderatorsElsewhere)
		}
		if comps, _ := data["components"].([]any); len(comps) > 0 {
			t.Errorf("%s in another server came with buttons: %v", tt.name, comps)
		}
	}
	// Nothing changed: the waiting article is not indexed, nothing was
	// added to or taken from the corpus.
	if h.lib.Current().Article("airspace") != nil {
		t.Error("a reload from another server re-read the corpus")
	}
	if got := corpusFiles(); got != files {
		t.Errorf("the corpus directory holds %d files, was %d", got, files)
	}
	if h.lib.Current().Article("rubio-calls-munir") == nil {
		t.Error("the article /remove named is gone")
	}
	if !strings.Contains(h.logs.String(), "reload refused: server not configured") {
		t.Errorf("the refused reload is not logged:\n%s", h.logs.String())
	}
	// Autocomplete lists no articles there either.
	ac := h.srv.DispatchInteraction(fakediscord.Autocomplete("remove", fakediscord.Focused("article", "rubio")).As(owner, discordgo.PermissionManageGuild).In(otherGuild, otherChannel))
	h.waitHandled(t, ac.ID)
	if choices := h.srv.AutocompleteChoices(ac.Token); len(choices) != 0 {
		t.Errorf("autocomplete in another server offered %v", choices)
	}

	// The same rights in the configured server are served.
	reload := h.srv.DispatchInteraction(fakediscord.Slash("reload").As(moderator, discordgo.PermissionManageGuild))
	if report := h.waitReply(t, reload, nonEmpty); !strings.Contains(report, "Reloaded") {
		t.Errorf("reload in the configured server: %q", report)
	}
	if h.lib.Current().Article("airspace") == nil {
		t.Error("the reload in the configured server did not index the waiting article")
	}
	add := h.srv.DispatchInteraction(fakediscord.Slash("add", fakediscord.String("url", news.URL+"/world/ceasefire-holds")).As(moderator, discordgo.PermissionManageGuild))
	if reply := h.waitReply(t, add, nonEmpty); !strings.Contains(reply, "**Added**") {
		t.Errorf("add in the configured server: %q", reply)
	}
	remove := h.srv.DispatchInteraction(fakediscord.Slash("remove", fakediscord.String("article", "rubio-calls-munir")).As(moderator, discordgo.PermissionManageGuild))
	if confirm := h.waitReply(t, remove, nonEmpty); !strings.Contains(confirm, "Remove **Rubio reaches out") {
		t.Errorf("remove in the configured server: %q", confirm)
	}
}

// TestDiscordQuestionsOnlyInConfiguredGuilds checks that by default members'
// questions are answered only in the configured servers: /ask and /sources
// elsewhere (or in a DM) get a private refusal, a mention elsewhere gets
// nothing, no thread and no reply.
func TestDiscordQuestionsOnlyInConfiguredGuilds(t *testing.T) {
	t.Parallel()
	lib := builtinLibrary(t)
	h := newDiscordHarness(t, DiscordConfig{}, answer.NewExtractive(answer.ExtractiveConfig{}, lib, nil), lib)
	const refusal = "I answer questions only in the servers I'm set up for."
	for _, spec := range []fakediscord.InteractionSpec{
		ask(rubio).In(otherGuild, otherChannel),
		fakediscord.Slash("sources").In(otherGuild, otherChannel),
		ask(rubio).InDM(),
	} {
		it := h.srv.DispatchInteraction(spec)
		h.waitHandled(t, it.ID)
		cbs := callbacks(t, h.srv, it)
		if len(cbs) != 1 {
			t.Fatalf("/%s: %d callbacks, want the refusal: %v", spec.Name, len(cbs), cbs)
		}
		data, _ := cbs[0]["data"].(map[string]any)
		if cbs[0]["type"] != float64(4) || data["flags"] != float64(discordgo.MessageFlagsEphemeral) || data["content"] != refusal {
			t.Errorf("/%s (dm %v): callback %v, want the private refusal", spec.Name, spec.DM, cbs[0])
		}
	}
	h.srv.DispatchMessageCreate(fakediscord.MessageSpec{GuildID: otherGuild, ChannelID: otherChannel, Content: rubio, MentionBot: true})
	// The configured server's mention is answered; the other's, sent
	// first, must by then have been ignored.
	asked := h.srv.DispatchMessageCreate(fakediscord.MessageSpec{Content: rubio, MentionBot: true})
	h.waitHandled(t, asked.ID)
	if th := threadsOf(h.srv, fakediscord.DefaultChannelID); len(th) != 1 {
		t.Errorf("%d threads in the configured server, want 1", len(th))
	}
	if th := threadsOf(h.srv, otherChannel); len(th) != 0 {
		t.Errorf("a mention in another server opened %d threads", len(th))
	}
	if n := len(botMessages(h.srv, otherChannel)); n != 0 {
		t.Errorf("the bot posted %d messages in another server", n)
	}
	it := h.srv.DispatchInteraction(ask(rubio))
	if reply := h.waitReply(t, it, nonEmpty); !strings.Contains(reply, "Munir") {
		t.Errorf("/ask in the configured server: %q", reply)
	}
}

// TestDiscordAnyGuild checks --any-guild: questions are answered in any
// server, and moderator commands still run only in the servers listed —
// with none listed, nowhere.
func TestDiscordAnyGuild(t *testing.T) {
	t.Parallel()
	lib := builtinLibrary(t)
	h := newDiscordHarness(t, DiscordConfig{AnyGuild: true}, answer.NewExtractive(answer.ExtractiveConfig{}, lib, nil), lib)
	it := h.srv.DispatchInteraction(ask(rubio).In(otherGuild, otherChannel))
	if reply := h.waitReply(t, it, nonEmpty); !strings.Contains(reply, "Munir") {
		t.Errorf("/ask in another server: %q", reply)
	}
	asked := h.srv.DispatchMessageCreate(fakediscord.MessageSpec{GuildID: otherGuild, ChannelID: otherChannel, Content: rubio, MentionBot: true})
	h.waitHandled(t, asked.ID)
	if th := threadsOf(h.srv, otherChannel); len(th) != 1 {
		t.Errorf("a mention in another server opened %d threads, want 1", len(th))
	}
	for guild, channel := range map[string]string{otherGuild: otherChannel, fakediscord.DefaultGuildID: fakediscord.DefaultChannelID} {
		reload := h.srv.DispatchInteraction(fakediscord.Slash("reload").As(moderator, discordgo.PermissionManageGuild).In(guild, channel))
		h.waitHandled(t, reload.ID)
		cbs := callbacks(t, h.srv, reload)
		if data, _ := cbs[0]["data"].(map[string]any); len(cbs) != 1 || data["content"] != moderatorsElsewhere {
			t.Errorf("/reload in %s with no servers listed: %v, want the refusal", guild, cbs)
		}
	}
}

// TestModeratorCommandsMarked checks that every command Discord hides from
// members is one dispatch checks the server of.
func TestModeratorCommandsMarked(t *testing.T) {
	for _, c := range (&Discord{}).commands() {
		if hidden := c.def.DefaultMemberPermissions != nil; hidden != c.moderator {
			t.Errorf("/%s: hidden from members %v, marked a moderator's command %v", c.def.Name, hidden, c.moderator)
		}
	}
}

func TestNewDiscordNeedsServers(t *testing.T) {
	s, err := discordgo.New("Bot " + testToken)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewDiscord(DiscordConfig{}, s, &stubAnswerer{}, emptyLibrary{}, nil, nil); err == nil {
		t.Error("NewDiscord accepted no servers and no AnyGuild")
	}
	for _, cfg := range []DiscordConfig{{GuildID: "1"}, {Guilds: []string{"1"}}, {AnyGuild: true}} {
		if _, err := NewDiscord(cfg, s, &stubAnswerer{}, emptyLibrary{}, nil, nil); err != nil {
			t.Errorf("NewDiscord(%+v): %v", cfg, err)
		}
	}
}
