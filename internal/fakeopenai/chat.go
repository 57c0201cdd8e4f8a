package fakeopenai

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Wire types of chat completions, as the document describes them. Fields
// that are null on the wire are pointers or any without omitempty.
type (
	completion struct {
		ID      string   `json:"id"`
		Object  string   `json:"object"`
		Created int64    `json:"created"`
		Model   string   `json:"model"`
		Choices []choice `json:"choices"`
		Usage   usage    `json:"usage"`
	}
	choice struct {
		Index        int             `json:"index"`
		Message      responseMessage `json:"message"`
		Logprobs     any             `json:"logprobs"`
		FinishReason string          `json:"finish_reason"`
	}
	responseMessage struct {
		Role    string  `json:"role"`
		Content string  `json:"content"`
		Refusal *string `json:"refusal"`
	}
	usage struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
		TotalTokens      int `json:"total_tokens"`
	}
	chunk struct {
		ID      string        `json:"id"`
		Object  string        `json:"object"`
		Created int64         `json:"created"`
		Model   string        `json:"model"`
		Choices []chunkChoice `json:"choices"`
		Usage   *usage        `json:"usage,omitempty"`
	}
	chunkChoice struct {
		Index        int     `json:"index"`
		Delta        delta   `json:"delta"`
		Logprobs     any     `json:"logprobs"`
		FinishReason *string `json:"finish_reason"`
	}
	delta struct {
		Role    string  `json:"role,omitempty"`
		Content *string `json:"content,omitempty"`
	}
)

// chat answers POST /v1/chat/completions with the next reply.
func (s *Server) chat(w http.ResponseWriter, r *http.Request, body []byte) {
	var req ChatRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, badJSON(err))
		return
	}
	if req.Model == "" {
		req.Model = DefaultChatModel
	}
	reply := s.nextReply(req)
	if !wait(r, reply.delay) {
		return
	}

	switch reply.kind {
	case kindError:
		writeReplyError(w, r, reply)
	case kindMalformed:
		markBroken(r)
		if req.Stream {
			startStream(w)
			fmt.Fprint(w, "data: {\"id\": not json\n\ndata: [DONE]\n\n")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id": "chatcmpl-fake", "object": "chat.completion", "choices": [}`)
	case kindBroken:
		s.broken(w, r, req, reply.chunks)
	default:
		var text string
		if reply.answer != nil {
			text = reply.answer(req)
		}
		if req.Stream {
			s.stream(w, req, text)
			return
		}
		writeJSON(w, http.StatusOK, s.complete(req, text))
	}
}

// wait holds a reply back for d; false if the client gave up first.
func wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// writeReplyError sends an error reply to r.
func writeReplyError(w http.ResponseWriter, r *http.Request, reply Reply) {
	if reply.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(reply.retryAfter))
	}
	e := reply.err
	if reply.echoAuth {
		e.Message += " (request credentials: " + r.Header.Get("Authorization") + ")"
	}
	writeError(w, reply.status, e)
}

// complete returns the unstreamed completion answering req with text.
func (s *Server) complete(req ChatRequest, text string) completion {
	return completion{
		ID:      s.nextID(),
		Object:  "chat.completion",
		Created: time.Now().Unix(),
		Model:   req.Model,
		Choices: []choice{{
			Message:      responseMessage{Role: "assistant", Content: text},
			FinishReason: "stop",
		}},
		Usage: countUsage(req, text),
	}
}

// stream sends text as server-sent chunks the way OpenAI does: a first
// chunk with the role, a chunk per word, a last chunk with the finish
// reason, a usage chunk when the request asked for one, then "[DONE]".
func (s *Server) stream(w http.ResponseWriter, req ChatRequest, text string) {
	startStream(w)
	chunks := s.chunks(req, text)
	stop := "stop"
	last := chunks.next(delta{}, &stop)
	for _, c := range append(chunks.all, last) {
		writeEvent(w, c)
	}
	if req.StreamOptions != nil && req.StreamOptions.IncludeUsage {
		u := countUsage(req, text)
		c := chunks.next(delta{}, nil)
		c.Choices, c.Usage = []chunkChoice{}, &u
		writeEvent(w, c)
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
	flush(w)
}

// broken sends the start of a reply to req and then closes the connection.
func (s *Server) broken(w http.ResponseWriter, r *http.Request, req ChatRequest, n int) {
	words := strings.SplitAfter(DefaultAnswer, " ")
	var text strings.Builder
	for i := range n {
		text.WriteString(words[i%len(words)])
	}
	if req.Stream {
		startStream(w)
		for _, c := range s.chunks(req, text.String()).all {
			writeEvent(w, c)
		}
		fmt.Fprint(w, `data: {"id":"chatcmpl-`)
	} else {
		b := mustMarshal(s.complete(req, text.String()))
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		_, _ = w.Write(b[:len(b)/2])
	}
	flush(w)
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Without a connection to close (HTTP/2), abort the response.
		panic(http.ErrAbortHandler)
	}
	_ = rw.Flush()
	_ = conn.Close()
}

// chunkList builds the chunks of one streamed reply.
type chunkList struct {
	base chunk
	all  []chunk
}

// chunks returns the role chunk and one content chunk per word of text.
func (s *Server) chunks(req ChatRequest, text string) *chunkList {
	l := &chunkList{base: chunk{
		ID:      s.nextID(),
		Object:  "chat.completion.chunk",
		Created: time.Now().Unix(),
		Model:   req.Model,
	}}
	empty := ""
	l.all = append(l.all, l.next(delta{Role: "assistant", Content: &empty}, nil))
	if text != "" {
		for _, word := range strings.SplitAfter(text, " ") {
			l.all = append(l.all, l.next(delta{Content: &word}, nil))
		}
	}
	return l
}

// next returns a chunk carrying d and finish.
func (l *chunkList) next(d delta, finish *string) chunk {
	c := l.base
	c.Choices = []chunkChoice{{Delta: d, FinishReason: finish}}
	return c
}

func startStream(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
}

func writeEvent(w http.ResponseWriter, v any) {
	fmt.Fprintf(w, "data: %s\n\n", mustMarshal(v))
	flush(w)
}

// mustMarshal encodes one of the fake's own wire values, which are made of
// strings and integers and so always encode.
func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("fakeopenai: encode %T: %v", v, err))
	}
	return b
}

func flush(w http.ResponseWriter) {
	_ = http.NewResponseController(w).Flush()
}

// countUsage counts tokens as whitespace-separated words.
func countUsage(req ChatRequest, answer string) usage {
	prompt := 0
	for _, m := range req.Messages {
		prompt += len(strings.Fields(m.Content))
	}
	completion := len(strings.Fields(answer))
	return usage{PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion}
}
