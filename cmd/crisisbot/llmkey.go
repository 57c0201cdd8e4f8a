package main

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"

	"github.com/crisisbot/crisisbot/answer"
)

// keyRejectedNotice replaces [answer.FallbackNotice] on an answer whose
// LLM refused the API key: the model was reached, and what needs fixing
// is the key, not the network.
const keyRejectedNotice = "The language model's server rejected the API key, so this answer quotes the sources directly."

// keyRejectedLog is the operator's line for it, saying what to fix.
const keyRejectedLog = "the API key was rejected by the LLM server; set OPENAI_API_KEY to a valid key (or unset it for a server that needs none)"

// keyWatch records, for one question, whether the chat model refused the
// API key. It travels in the question's context from [keyCheckedAnswerer]
// to [keyWatchingChat], so concurrent questions do not mix their records.
type keyWatch struct{ rejected atomic.Bool }

type keyWatchKey struct{}

// keyWatchingChat is a chat model that notes a rejected key in the
// question's [keyWatch].
type keyWatchingChat struct{ answer.ChatModel }

var _ answer.ChatModel = keyWatchingChat{}

// Chat implements [answer.ChatModel].
func (c keyWatchingChat) Chat(ctx context.Context, req answer.ChatRequest, onDelta func(string)) (string, error) {
	text, err := c.ChatModel.Chat(ctx, req, onDelta)
	if errors.Is(err, answer.ErrKeyRejected) {
		if w, ok := ctx.Value(keyWatchKey{}).(*keyWatch); ok {
			w.rejected.Store(true)
		}
	}
	return text, err
}

// keyCheckedAnswerer tells, in the answer's notice and in an error line
// of the log, that the fallback answered because the key was rejected.
type keyCheckedAnswerer struct {
	answer.Answerer
	log *slog.Logger
}

var _ answer.Answerer = keyCheckedAnswerer{}

// Answer implements [answer.Answerer].
func (a keyCheckedAnswerer) Answer(ctx context.Context, q answer.Question, onPartial func(string)) (answer.Answer, error) {
	w := &keyWatch{}
	ans, err := a.Answerer.Answer(context.WithValue(ctx, keyWatchKey{}, w), q, onPartial)
	if err == nil && w.rejected.Load() && ans.Notice == answer.FallbackNotice {
		ans.Notice = keyRejectedNotice
		a.log.Error(keyRejectedLog)
	}
	return ans, err
}
