package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// deskCorpus writes a small corpus of two outlets reporting one event.
func deskCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"nh-dam.md": "---\ntitle: Kestrel dam bursts\nsource: Northern Herald\npublished: 2031-03-12\n---\nFloodwaters broke through the Kestrel dam in the Lowmarsh valley on Monday, killing 14 villagers and cutting the valley road, officials said.\n\nThe governor toured the Lowmarsh valley by helicopter and promised new levees for the river towns.\n",
		"sc-dam.md": "---\ntitle: Lowmarsh toll rises\nurl: https://courier.example/lowmarsh\npublished: 2031-03-11\n---\nThe Kestrel dam in the Lowmarsh valley burst on 10 March, killing 19 villagers and cutting the valley road, the governor said.\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestTimelineCommand(t *testing.T) {
	dir := deskCorpus(t)
	vars := map[string]string{"CRISISBOT_DATA": t.TempDir(), "CRISISBOT_CORPUS": dir}
	out, stderr, err := runCLI(t, vars, "sources", "label", "Northern Herald", "northern")
	if err != nil {
		t.Fatalf("sources label: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, "Northern Herald is now labelled Northern.") || !strings.Contains(out, "1 article(s)") {
		t.Errorf("label output:\n%s", out)
	}
	if _, _, err := runCLI(t, vars, "sources", "label", "courier.example", "southern"); err != nil {
		t.Fatal(err)
	}
	out, stderr, err = runCLI(t, vars, "timeline")
	if err != nil {
		t.Fatalf("timeline: %v\n%s", err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 {
		t.Fatalf("want the dam burst once, told by both outlets; got:\n%s", out)
	}
	for _, want := range []string{"Monday, 10 March 2031 — ", "Northern Herald · Northern · 12 March 2031 (nh-dam)", "courier.example · Southern · 11 March 2031 (sc-dam)", "Figures differ: villagers — ", "14 (Northern Herald · Northern · 12 March 2031)", "19 (courier.example · Southern · 11 March 2031)"} {
		if !strings.Contains(out, want) {
			t.Errorf("timeline lacks %q:\n%s", want, out)
		}
	}
	if out, _, _ := runCLI(t, vars, "timeline", "--from", "2031-03-11"); !strings.Contains(out, "No dated events") {
		t.Errorf("--from after the event:\n%s", out)
	}
	if _, _, err := runCLI(t, vars, "timeline", "--from", "soon"); exitCode(err) != 2 {
		t.Errorf("--from soon: %v, want a usage error", err)
	}
	if _, _, err := runCLI(t, vars, "sources", "label", "Northern Herald"); exitCode(err) != 2 {
		t.Errorf("label without an origin: %v, want a usage error", err)
	}
}

func TestWhatsNewCommand(t *testing.T) {
	dir := deskCorpus(t)
	old := time.Now().Add(-72 * time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "sc-dam.md"), old, old); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"CRISISBOT_DATA": t.TempDir(), "CRISISBOT_CORPUS": dir}
	out, stderr, err := runCLI(t, vars, "whatsnew")
	if err != nil {
		t.Fatalf("whatsnew: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, "1 article(s)") || !strings.Contains(out, "Kestrel dam bursts") || strings.Contains(out, "Lowmarsh toll rises") {
		t.Errorf("the last 24 hours should hold only the article written now:\n%s", out)
	}
	if !strings.Contains(out, "> Floodwaters broke through") || !strings.Contains(out, "> The governor toured") {
		t.Errorf("want its two sentences quoted:\n%s", out)
	}
	out, _, err = runCLI(t, vars, "whatsnew", "--since", "1w")
	if err != nil || !strings.Contains(out, "2 article(s)") || strings.Index(out, "Kestrel dam bursts") > strings.Index(out, "Lowmarsh toll rises") {
		t.Errorf("a week back: both, newest first; got %v:\n%s", err, out)
	}
	if _, _, err := runCLI(t, vars, "whatsnew", "--since", "yesterday-ish"); exitCode(err) != 2 {
		t.Errorf("a bad --since: %v, want a usage error", err)
	}
}

func TestAddShowsOrigin(t *testing.T) {
	dir := deskCorpus(t)
	vars := map[string]string{"CRISISBOT_DATA": t.TempDir(), "CRISISBOT_CORPUS": dir}
	if _, _, err := runCLI(t, vars, "sources", "label", "Northern Herald", "northern"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ outlet, want string }{
		{"Northern Herald", "origin:  Northern\n"},
		{"Eastern Star", "origin:  unlabelled"},
	} {
		file := filepath.Join(t.TempDir(), "new.md")
		text := "---\ntitle: Levees for " + tt.outlet + "\nsource: " + tt.outlet + "\npublished: 2031-03-13\n---\nThe governor promised new levees for the river towns of " + tt.outlet + ".\n"
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		out, stderr, err := runCLI(t, vars, "add", file)
		if err != nil {
			t.Fatalf("add: %v\n%s", err, stderr)
		}
		if !strings.Contains(out, tt.want) {
			t.Errorf("adding an article of %s: output lacks %q:\n%s", tt.outlet, tt.want, out)
		}
	}
}
