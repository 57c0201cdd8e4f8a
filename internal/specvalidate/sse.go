package specvalidate

import "strings"

// sseData returns the data of each complete event in a text/event-stream
// body, following the HTML event-stream rules: lines end in "\n", "\r\n" or
// "\r"; a blank line ends an event; "data:" lines are joined with "\n"; one
// space after the colon is dropped; comments and other fields are ignored;
// an event without data, and a trailing event without its blank line, are
// not dispatched.
func sseData(body []byte) []string {
	var (
		events  []string
		data    []string
		hasData bool
	)
	text := strings.ReplaceAll(strings.ReplaceAll(string(body), "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(text, "\n")
	// The element after the last "\n" is an unfinished line: drop it.
	lines = lines[:len(lines)-1]
	for _, line := range lines {
		if line == "" {
			if hasData {
				events = append(events, strings.Join(data, "\n"))
			}
			data, hasData = data[:0], false
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		if field != "data" {
			continue
		}
		data = append(data, strings.TrimPrefix(value, " "))
		hasData = true
	}
	return events
}

// isDone reports whether data is the "[DONE]" sentinel OpenAI sends last.
func isDone(data string) bool {
	return strings.TrimSpace(data) == "[DONE]"
}
