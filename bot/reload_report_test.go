package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/fakediscord"
	"github.com/crisisbot/crisisbot/retrieval"
)

// reportLibrary's Reload returns a fixed report and error.
type reportLibrary struct {
	*retrieval.Library
	rep retrieval.Report
	err error
}

func (r *reportLibrary) Reload(context.Context) (retrieval.Report, error) { return r.rep, r.err }

// TestDiscordReloadReportSummarised is issue 10.7: a reload posted every
// changed ID and failure publicly, about 1,400 messages for 100,000
// articles. The report is now one message, counts and a few IDs, with the
// full lists attached.
func TestDiscordReloadReportSummarised(t *testing.T) {
	t.Parallel()
	var rep retrieval.Report
	rep.Articles, rep.Passages = 100_000, 1_400_000
	for n := range 100_000 {
		rep.Added = append(rep.Added, fmt.Sprintf("wire/2025/05/article-number-%06d", n))
	}
	rep.Changed = []string{"rubio-calls-munir"}
	for n := range 500 {
		rep.Failed = append(rep.Failed, corpus.FileError{Path: fmt.Sprintf("broken/%03d.md", n), Err: errors.New("front matter: yaml: line 2: did not find expected key")})
	}
	failing := errors.New("reload: save index: write /data/index.tmp: no space left on device")
	for _, tt := range []struct {
		name string
		err  error
		want []string
	}{
		{"reloaded", nil, []string{"**Reloaded**", "100000 articles", "Added (100000): `wire/2025/05/article-number-000000`", "and 99995 more", "Changed (1): `rubio-calls-munir`", "Could not be read (500): `broken/000.md`", "and 495 more", reloadFileName}},
		{"failed", failing, []string{"**Reload failed**", "previous index is still serving", "attached report", reloadFileName}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lib := &reportLibrary{Library: builtinLibrary(t), rep: rep, err: tt.err}
			h := newDiscordHarness(t, DiscordConfig{}, answer.NewExtractive(answer.ExtractiveConfig{}, lib, nil), lib)
			it := h.srv.DispatchInteraction(fakediscord.Slash("reload").As(moderator, discordgo.PermissionManageGuild))
			h.waitHandled(t, it.ID)
			if n := len(h.srv.Followups(it.Token)); n != 0 {
				t.Errorf("the report took %d follow-ups, want one message", n)
			}
			m := h.srv.OriginalMessage(it.Token)
			if m == nil {
				t.Fatal("no report")
			}
			for _, want := range tt.want {
				if !strings.Contains(m.Content, want) {
					t.Errorf("report lacks %q:\n%s", want, m.Content)
				}
			}
			if n := strings.Count(m.Content, "article-number-"); n > reloadShown {
				t.Errorf("the report names %d added articles, want at most %d", n, reloadShown)
			}
			for _, leak := range []string{"reload:", "no space left", "yaml:"} {
				if strings.Contains(m.Content, leak) {
					t.Errorf("the report shows the error text %q:\n%s", leak, m.Content)
				}
			}
			if len(m.Attachments) != 1 || m.Attachments[0].Filename != reloadFileName || m.Attachments[0].Size < 100_000*len("wire/2025/05/article-number-000000") {
				t.Errorf("attachments %+v, want %s with every ID", m.Attachments, reloadFileName)
			}
			if m.Flags&discordgo.MessageFlagsEphemeral != 0 {
				t.Error("the report is private; it goes where /reload was asked")
			}
		})
	}
}

func TestReloadReportSmall(t *testing.T) {
	r := reloadReport(retrieval.Report{Articles: 3, Diff: retrieval.Diff{Added: []string{"a", "b"}}}, nil)
	if r.file != nil || len(r.parts) != 1 || !strings.Contains(r.parts[0], "Added (2): `a`, `b`") {
		t.Errorf("a small report became %q with file %v", r.parts, r.file != nil)
	}
	text := reloadReportText(retrieval.Report{Diff: retrieval.Diff{Added: []string{"a", "b"}}, Failed: []corpus.FileError{{Path: "x.md", Err: errors.New("bad")}}}, nil)
	for _, want := range []string{"Added (2):\na\nb\n", "Could not be read (1):\nx.md: bad\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("full report lacks %q:\n%s", want, text)
		}
	}
}
