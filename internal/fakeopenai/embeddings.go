package fakeopenai

import (
	"encoding/json"
	"hash/fnv"
	"math"
	"net/http"
	"strings"
	"unicode"
)

type (
	embeddingRequest struct {
		Input          json.RawMessage `json:"input"`
		Model          string          `json:"model"`
		EncodingFormat string          `json:"encoding_format"`
		Dimensions     int             `json:"dimensions"`
	}
	embeddingList struct {
		Object string          `json:"object"`
		Data   []embedding     `json:"data"`
		Model  string          `json:"model"`
		Usage  embeddingsUsage `json:"usage"`
	}
	embedding struct {
		Object    string    `json:"object"`
		Index     int       `json:"index"`
		Embedding []float32 `json:"embedding"`
	}
	embeddingsUsage struct {
		PromptTokens int `json:"prompt_tokens"`
		TotalTokens  int `json:"total_tokens"`
	}
)

// embeddings answers POST /v1/embeddings with a [Vector] per input, unless
// the next reply [Server.EnqueueEmbeddings] queued is an error.
func (s *Server) embeddings(w http.ResponseWriter, r *http.Request, body []byte) {
	var req embeddingRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, badJSON(err))
		return
	}
	reply := s.nextEmbeddingsReply()
	if !wait(r, reply.delay) {
		return
	}
	if reply.kind == kindError {
		writeReplyError(w, r, reply)
		return
	}
	inputs, ok := embeddingInputs(req.Input)
	if !ok {
		writeError(w, http.StatusBadRequest, apiError{
			Message: "The fake accepts input as a non-empty string or a non-empty array of non-empty strings.",
			Type:    "invalid_request_error",
			Param:   ptr("input"),
		})
		return
	}
	if req.EncodingFormat != "" && req.EncodingFormat != "float" {
		writeError(w, http.StatusBadRequest, apiError{
			Message: "The fake serves only float embeddings.",
			Type:    "invalid_request_error",
			Param:   ptr("encoding_format"),
		})
		return
	}
	dims := s.cfg.Dimensions
	if req.Dimensions > 0 {
		dims = req.Dimensions
	}
	if req.Model == "" {
		req.Model = DefaultEmbeddingModel
	}
	resp := embeddingList{Object: "list", Model: req.Model, Data: []embedding{}}
	for i, in := range inputs {
		resp.Data = append(resp.Data, embedding{Object: "embedding", Index: i, Embedding: Vector(in, dims)})
		resp.Usage.PromptTokens += len(words(in))
	}
	resp.Usage.TotalTokens = resp.Usage.PromptTokens
	writeJSON(w, http.StatusOK, resp)
}

// embeddingInputs decodes input given as a string or an array of strings,
// none of them empty, as OpenAI requires.
func embeddingInputs(raw json.RawMessage) ([]string, bool) {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, one != ""
	}
	var many []string
	if json.Unmarshal(raw, &many) != nil || len(many) == 0 {
		return nil, false
	}
	for _, s := range many {
		if s == "" {
			return nil, false
		}
	}
	return many, true
}

// Vector returns the fake's embedding of text with dims dimensions: a
// hashed bag of words, normalised to unit length. Each lower-cased run of
// letters and digits adds +1 or -1 (by its FNV-1a hash) to the dimension
// its hash selects, so texts sharing words have similar vectors and equal
// texts equal ones. dims must be positive. Text without words (or whose
// words cancel out) embeds as the first unit vector.
func Vector(text string, dims int) []float32 {
	v := make([]float64, dims)
	for _, w := range words(text) {
		h := fnv.New64a()
		h.Write([]byte(w))
		sum := h.Sum64()
		sign := 1.0
		if sum>>63 == 1 {
			sign = -1
		}
		v[sum%uint64(dims)] += sign
	}
	var norm float64
	for _, x := range v {
		norm += x * x
	}
	out := make([]float32, dims)
	if norm == 0 {
		out[0] = 1
		return out
	}
	norm = math.Sqrt(norm)
	for i, x := range v {
		out[i] = float32(x / norm)
	}
	return out
}

// words splits text into lower-cased runs of letters and digits.
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
