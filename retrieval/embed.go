package retrieval

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strings"

	"github.com/sashabaranov/go-openai"
)

// EmbedFunc turns texts into vectors, one per text and in the same order.
// It is the only seam between crisisbot and an embedding model: the offline
// [HashEmbedder] and the OpenAI-compatible [OpenAIEmbedder] are both just
// functions of this type, and tests can pass their own.
type EmbedFunc func(ctx context.Context, texts []string) ([][]float32, error)

// HashEmbedderID names the offline embedder's settings in the index, so that
// changing them rebuilds the index.
func HashEmbedderID(dims int) string { return fmt.Sprintf("hash-v2-%d", dims) }

// HashEmbedder returns a deterministic embedder that needs no model: stemmed
// words, word pairs and character trigrams are hashed into dims signed
// buckets. It captures vocabulary and word-form overlap, not meaning; the
// lexical index and fusion make up for much of that, and a team that wants
// semantic matching configures an OpenAI-compatible embedder instead.
func HashEmbedder(dims int) EmbedFunc {
	// One cache for the embedder's life: build calls it a batch at a time,
	// and a cache per call would stem the corpus's words afresh each batch.
	cache := &termCache{}
	return func(ctx context.Context, texts []string) ([][]float32, error) {
		if dims <= 0 {
			return nil, fmt.Errorf("hash embedder: dimensions must be positive, got %d", dims)
		}
		out := make([][]float32, len(texts))
		for i, t := range texts {
			if i%256 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			out[i] = hashEmbed(t, dims, cache)
		}
		return out, nil
	}
}

// FNV-1a, written out so that hashing a feature allocates nothing.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func fnvByte(h uint64, b byte) uint64 {
	h ^= uint64(b)
	return h * fnvPrime
}

func hashEmbed(text string, dims int, cache *termCache) []float32 {
	v := make([]float32, dims)
	add := func(x uint64, weight float32) {
		sign := float32(1)
		if x>>63 == 1 {
			sign = -1
		}
		v[x%uint64(dims)] += sign * weight
	}
	prev := ""
	forEachWord(text, func(w string) {
		t := cache.term(w)
		if t == "" {
			return
		}
		add(fnvString(fnvByte(fnvOffset, 'w'), t), 1)
		if prev != "" {
			add(fnvString(fnvByte(fnvString(fnvByte(fnvOffset, 'b'), prev), ' '), t), 0.5)
		}
		prev = t
		// Character trigrams of the word padded with '#' let "Pakistani"
		// meet "Pakistan" and a misspelt name meet the right one.
		n := len(w) // "#" + w + "#" has len(w) trigrams
		gw := float32(0.5 / math.Sqrt(float64(n)))
		at := func(i int) byte {
			if i == 0 || i == len(w)+1 {
				return '#'
			}
			return w[i-1]
		}
		for j := 0; j < n; j++ {
			h := fnvByte(fnvOffset, 'c')
			h = fnvByte(fnvByte(fnvByte(h, at(j)), at(j+1)), at(j+2))
			add(h, gw)
		}
	})
	return normalize(v)
}

// normalize scales v to unit length in place and returns it, so the dot
// product of two vectors is their cosine similarity. A zero vector stays zero.
// A vector already of unit length is left exactly as it is: scaling it
// again would move its last bits, and a vector read back from the index
// log must stay the vector the live index holds.
func normalize(v []float32) []float32 {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 || math.Abs(sum-1) < 1e-6 {
		return v
	}
	inv := float32(1 / math.Sqrt(sum))
	for i := range v {
		v[i] *= inv
	}
	return v
}

// embeddingsClient is the part of go-openai's client the OpenAI embedder uses.
type embeddingsClient interface {
	CreateEmbeddings(ctx context.Context, req openai.EmbeddingRequestConverter) (openai.EmbeddingResponse, error)
}

// OpenAIEmbedderID names an OpenAI-compatible embedding model in the index.
// Credentials in baseURL are left out: they do not change the vectors, and
// the index is a file on disk.
func OpenAIEmbedderID(baseURL, model string) string {
	if u, err := url.Parse(baseURL); err == nil && u.User != nil {
		u.User = nil
		baseURL = u.String()
	}
	return "openai:" + strings.TrimRight(baseURL, "/") + "|" + model
}

// OpenAIEmbedder returns an embedder backed by an OpenAI-compatible
// /embeddings endpoint (OpenAI, Ollama, llama.cpp, vLLM), sending at most
// batch texts per request. Vectors come back normalised, whatever the server
// does. Retries and each request's deadline are the client's business
// (crisisbot builds it over internal/httpretry, shared with chat); the
// caller's context bounds the whole.
func OpenAIEmbedder(client embeddingsClient, model string, batch int) EmbedFunc {
	if batch <= 0 {
		batch = 64
	}
	return func(ctx context.Context, texts []string) ([][]float32, error) {
		out := make([][]float32, 0, len(texts))
		for start := 0; start < len(texts); start += batch {
			end := min(start+batch, len(texts))
			resp, err := client.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{
				Input: texts[start:end],
				Model: openai.EmbeddingModel(model),
			})
			if err != nil {
				return nil, fmt.Errorf("embeddings %d-%d of %d: %w", start, end, len(texts), err)
			}
			if len(resp.Data) != end-start {
				return nil, fmt.Errorf("embeddings %d-%d: server returned %d vectors for %d texts", start, end, len(resp.Data), end-start)
			}
			vecs := make([][]float32, end-start)
			for _, d := range resp.Data {
				if d.Index < 0 || d.Index >= len(vecs) || vecs[d.Index] != nil {
					return nil, fmt.Errorf("embeddings %d-%d: bad or repeated index %d", start, end, d.Index)
				}
				if len(d.Embedding) == 0 {
					return nil, errors.New("embeddings: server returned an empty vector")
				}
				vecs[d.Index] = normalize(d.Embedding)
			}
			out = append(out, vecs...)
		}
		return out, nil
	}
}
