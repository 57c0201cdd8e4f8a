package answer

import (
	_ "embed"
	"fmt"
	"strings"
	"text/template"

	"github.com/crisisbot/crisisbot/retrieval"
)

//go:embed prompt.tmpl
var promptText string

// promptPassage is one numbered passage as the template sees it.
type promptPassage struct {
	N         int
	Title     string
	Source    string
	Published string
	Text      string
}

// promptData is what the prompt template renders.
type promptData struct {
	Question string
	History  []Turn
	Passages []promptPassage
	NoAnswer string
}

// prompt renders the chat messages for a question and its passages.
type prompt struct {
	tmpl     *template.Template
	shingles map[string]bool // every leakRun-word run of the system prompt
}

func newPrompt() (*prompt, error) {
	t, err := template.New("prompt").Parse(promptText)
	if err != nil {
		return nil, fmt.Errorf("prompt template: %w", err)
	}
	for _, name := range []string{"system", "user"} {
		if t.Lookup(name) == nil {
			return nil, fmt.Errorf("prompt template: no %q block", name)
		}
	}
	p := &prompt{tmpl: t, shingles: map[string]bool{}}
	var sys strings.Builder
	if err := t.ExecuteTemplate(&sys, "system", promptData{NoAnswer: NoAnswer}); err != nil {
		return nil, fmt.Errorf("prompt template: %w", err)
	}
	words := strings.Fields(strings.ToLower(sys.String()))
	for i := 0; i+leakRun <= len(words); i++ {
		p.shingles[strings.Join(words[i:i+leakRun], " ")] = true
	}
	return p, nil
}

// render returns the system and user messages.
func (p *prompt) render(q Question, hits []retrieval.Hit) (system, user string, err error) {
	d := promptData{Question: fence(q.Text), NoAnswer: NoAnswer}
	for _, t := range q.History {
		// Earlier answers' markers numbered other passages; keeping them
		// would invite the model to cite passages that are not there.
		answer := stripMarkers(t.Answer)
		d.History = append(d.History, Turn{Question: fence(t.Question), Answer: fence(answer)})
	}
	for i, h := range hits {
		pp := promptPassage{N: i + 1, Title: fence(h.Article.Title), Source: fence(h.Article.Source), Text: fence(h.Passage.Text)}
		if !h.Article.Published.IsZero() {
			pp.Published = h.Article.Published.Format("2006-01-02")
		}
		d.Passages = append(d.Passages, pp)
	}
	var sys, usr strings.Builder
	if err := p.tmpl.ExecuteTemplate(&sys, "system", d); err != nil {
		return "", "", fmt.Errorf("prompt: %w", err)
	}
	if err := p.tmpl.ExecuteTemplate(&usr, "user", d); err != nil {
		return "", "", fmt.Errorf("prompt: %w", err)
	}
	return strings.TrimSpace(sys.String()), strings.TrimSpace(usr.String()), nil
}

// fence neutralises the angle brackets of untrusted text, so an article or
// a question cannot close the <passage> or <question> element it sits in and
// pass itself off as instructions.
func fence(s string) string {
	return strings.NewReplacer("<", "‹", ">", "›").Replace(s)
}

// leaks reports whether text repeats the system prompt: any run of eight
// words of it. The prompt is not secret in any deep sense, but a model that
// recites it has been talked out of its job, and the answer is not one.
func (p *prompt) leaks(text string) bool {
	words := strings.Fields(strings.ToLower(text))
	if len(words) < leakRun {
		return false
	}
	for i := 0; i+leakRun <= len(words); i++ {
		if p.shingles[strings.Join(words[i:i+leakRun], " ")] {
			return true
		}
	}
	return false
}

// leakRun is how many consecutive words of the system prompt count as
// repeating it: long enough that an honest answer never matches by chance.
const leakRun = 8
