// Package specvalidate checks HTTP requests and responses against an official
// OpenAPI document, so that the loopback fakes used in tests speak the same
// wire protocol as the services they stand in for.
//
// It wraps github.com/pb33f/libopenapi-validator. [LoadDiscord] and
// [LoadOpenAI] load pruned copies of the official documents, embedded in this
// package, that keep only the operations the fakes serve and what those
// reference. Discord's loads in about a third of the official document's
// time (a few seconds: most of it compiles the message schemas the kept
// operations share), OpenAI's in about a hundredth (a quarter of a second).
// [LoadDiscordFull] and [LoadOpenAIFull] load the official documents
// from ../shared/specs. A [Validator] is safe for concurrent use, so load
// each document once per test binary:
//
//	var openAISpec = sync.OnceValues(specvalidate.LoadOpenAI)
//
//	func TestSomething(t *testing.T) {
//		v := specvalidate.Require(t, openAISpec)
//		...
//	}
//
// Paths are matched without looking at the scheme, host or port, so requests
// to an httptest server on 127.0.0.1 match. When a request path starts with
// the base path of a server the document declares ("/v1" for OpenAI,
// "/api/v10" for Discord), that base path is stripped before the path is
// looked up; a path without it is looked up as it is. [WithPathPrefix]
// rewrites other prefixes, such as discordgo's "/api/v9/", first.
package specvalidate

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	"github.com/pb33f/libopenapi-validator/content"
	liberrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/helpers"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"
)

// eventStreamType is the media type of server-sent events.
const eventStreamType = "text/event-stream"

// Option configures a Validator.
type Option func(*options)

type options struct {
	prefixes    []prefixRewrite
	openAPIMode bool
	nullable    bool
	bitfields   []string
	errorSchema string
	recordDir   string
}

type prefixRewrite struct {
	from, to string
}

// WithPathPrefix rewrites a request path that starts with from so that it
// starts with to before the path is matched against the document, for
// example "/api/v9/" to "/api/v10/" for discordgo against Discord's v10
// document, or "/mount/" to "/" to strip a prefix. Several rewrites may be
// given; the first whose from matches applies.
func WithPathPrefix(from, to string) Option {
	return func(o *options) {
		o.prefixes = append(o.prefixes, prefixRewrite{from: from, to: to})
	}
}

// WithoutOpenAPIMode builds the validator with config.WithoutOpenAPIMode, so
// that schemas are checked as plain JSON Schema. The OpenAI document uses the
// OpenAPI 3.0 keyword `nullable` inside an OpenAPI 3.1 document, and chat
// request schemas fail to compile in OpenAPI mode.
func WithoutOpenAPIMode() Option {
	return func(o *options) {
		o.openAPIMode = false
	}
}

// WithErrorSchema names a schema under components.schemas that the body of
// an error response (status 400 or above) must match when the operation
// documents neither that status nor a default response. Without it such a
// response is reported as an undocumented status. The OpenAI document
// declares only 200 and 429 for most operations, while the API answers 400,
// 401, 404 and 500 with the same "ErrorResponse" body.
func WithErrorSchema(name string) Option {
	return func(o *options) {
		o.errorSchema = name
	}
}

// Validator checks requests and responses against one OpenAPI document. It
// is safe for concurrent use.
type Validator struct {
	lib      validator.Validator
	prefixes []prefixRewrite

	// errorSchema, when set, is the schema that schemas checks the bodies
	// of undocumented error responses against.
	errorSchema *base.Schema
	schemas     schema_validation.SchemaValidator

	// rec, when set, records every exchange checked (see [WithRecordDir]).
	rec *exchangeLog
}

// Load reads the OpenAPI document at path and builds a Validator for it. It
// takes seconds for a large document: call it once per test binary.
func Load(path string, opts ...Option) (*Validator, error) {
	spec, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return load(path, spec, opts...)
}

// load builds a Validator for the document spec, which path names in errors.
func load(path string, spec []byte, opts ...Option) (*Validator, error) {
	o := options{openAPIMode: true}
	for _, opt := range opts {
		opt(&o)
	}
	var err error
	if o.nullable {
		if spec, err = rewriteNullable(spec); err != nil {
			return nil, fmt.Errorf("load %s: %w", path, err)
		}
	}
	if len(o.bitfields) > 0 {
		if spec, err = rewriteBitfields(spec, o.bitfields); err != nil {
			return nil, fmt.Errorf("load %s: %w", path, err)
		}
	}
	doc, err := libopenapi.NewDocument(spec)
	if err != nil {
		return nil, fmt.Errorf("load %s: parse: %w", path, err)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		return nil, fmt.Errorf("load %s: build model: %w", path, err)
	}

	cfg := []config.Option{
		// Each server-sent event is checked on its own, as a JSON document,
		// against the schema the document gives for text/event-stream.
		config.WithBodyDecoder(eventStreamType, content.JSONDecoder()),
	}
	if !o.openAPIMode {
		cfg = append(cfg, config.WithoutOpenAPIMode())
	}
	v := &Validator{
		lib:      validator.NewValidatorFromV3Model(&model.Model, cfg...),
		prefixes: o.prefixes,
	}
	if o.errorSchema != "" {
		var proxy *base.SchemaProxy
		if c := model.Model.Components; c != nil && c.Schemas != nil {
			proxy = c.Schemas.GetOrZero(o.errorSchema)
		}
		if proxy == nil || proxy.Schema() == nil {
			return nil, fmt.Errorf("load %s: error schema %q not found in components.schemas", path, o.errorSchema)
		}
		v.errorSchema = proxy.Schema()
		logger := slog.New(slog.DiscardHandler)
		v.schemas = schema_validation.NewSchemaValidatorWithLogger(logger, cfg...)
	}
	if o.recordDir != "" {
		if v.rec, err = newExchangeLog(o.recordDir, filepath.Base(path)); err != nil {
			return nil, fmt.Errorf("load %s: %w", path, err)
		}
	}
	return v, nil
}

// ValidateRequest checks r's path, method, parameters, security and body.
// It reads the body and restores it, so a handler can still read it. It
// returns nil, or an [*Error] listing every failure.
func (v *Validator) ValidateRequest(r *http.Request) error {
	body, err := readBody(r)
	if err != nil {
		return fmt.Errorf("validate request %s %s: %w", r.Method, r.URL.Path, err)
	}
	return v.validateRequest(r, body)
}

func (v *Validator) validateRequest(r *http.Request, body []byte) error {
	req := v.rewrite(r, body)
	_, failures := v.lib.ValidateHttpRequest(req)
	v.rec.record(Exchange{Kind: KindRequest, Method: r.Method, URL: r.URL.RequestURI(), Header: r.Header, Body: body})
	return newError(KindRequest, r, 0, failures)
}

// ValidateResponse checks a response to r, given its status, header and
// body, against the operation r matches. The body of r is not read.
//
// A text/event-stream body is split into events and each event's data,
// except a final "[DONE]", is checked as JSON against the schema the
// document gives for text/event-stream; an incomplete trailing event is
// ignored (a stream cut short is checked up to the cut), and a stream with no
// complete event is a failure.
func (v *Validator) ValidateResponse(r *http.Request, status int, header http.Header, body []byte) error {
	v.rec.record(Exchange{Kind: KindResponse, Method: r.Method, URL: r.URL.RequestURI(), Header: r.Header,
		Status: status, ResponseHeader: header, ResponseBody: body})
	req := v.rewrite(r, nil)
	if isEventStream(header) {
		events := sseData(body)
		if len(events) == 0 {
			return newError(KindResponse, r, status, []*liberrors.ValidationError{{
				ValidationType:    helpers.ResponseBodyValidation,
				ValidationSubType: helpers.Schema,
				Message:           fmt.Sprintf("%d %s response carries no complete event", status, eventStreamType),
				Reason:            "an event ends with a blank line; the body has none",
			}})
		}
		var failures []*liberrors.ValidationError
		for i, data := range events {
			if isDone(data) {
				continue
			}
			for _, f := range v.validateResponse(req, status, header, []byte(data)) {
				f.Message = fmt.Sprintf("event %d: %s", i, f.Message)
				failures = append(failures, f)
			}
		}
		return newError(KindResponse, r, status, failures)
	}
	return newError(KindResponse, r, status, v.validateResponse(req, status, header, body))
}

func (v *Validator) validateResponse(req *http.Request, status int, header http.Header, body []byte) []*liberrors.ValidationError {
	resp := &http.Response{
		Status:        fmt.Sprintf("%d %s", status, http.StatusText(status)),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        header.Clone(),
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}
	if resp.Header == nil {
		resp.Header = http.Header{}
	}
	_, failures := v.lib.ValidateHttpResponse(req, resp)
	if v.errorSchema == nil || status < 400 {
		return failures
	}
	var kept []*liberrors.ValidationError
	undocumented := false
	for _, f := range failures {
		if f.ValidationSubType == helpers.ResponseBodyResponseCode {
			undocumented = true
			continue
		}
		kept = append(kept, f)
	}
	if !undocumented {
		return failures
	}
	return append(kept, v.validateErrorBody(req, status, header, body)...)
}

// validateErrorBody checks an undocumented error response against the
// schema given by [WithErrorSchema].
func (v *Validator) validateErrorBody(req *http.Request, status int, header http.Header, body []byte) []*liberrors.ValidationError {
	ct := header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return []*liberrors.ValidationError{{
			ValidationType:    helpers.ResponseBodyValidation,
			ValidationSubType: helpers.RequestBodyContentType,
			Message:           fmt.Sprintf("%s %s: %d error response has content type %q", req.Method, req.URL.Path, status, ct),
			Reason:            "an error response the operation does not document must be JSON matching the error schema",
		}}
	}
	_, failures := v.schemas.ValidateSchemaBytes(v.errorSchema, body)
	for _, f := range failures {
		f.Message = fmt.Sprintf("%d error response body: %s", status, f.Message)
	}
	return failures
}

// rewrite returns a shallow copy of r whose path has had the configured
// prefix rewrites applied and whose body reads body.
func (v *Validator) rewrite(r *http.Request, body []byte) *http.Request {
	req := r.Clone(r.Context())
	if body == nil {
		req.Body = http.NoBody
	} else {
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
	}
	for _, p := range v.prefixes {
		if strings.HasPrefix(req.URL.Path, p.from) {
			req.URL.Path = p.to + strings.TrimPrefix(req.URL.Path, p.from)
			req.URL.RawPath = ""
			break
		}
	}
	return req
}

// readBody reads r's body and puts back a reader over the same bytes. A nil
// or empty body reads as an empty, non-nil slice.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return []byte{}, nil
	}
	body, err := io.ReadAll(r.Body)
	if cerr := r.Body.Close(); err == nil {
		err = cerr
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	return body, nil
}

func isEventStream(header http.Header) bool {
	mt, _, err := mime.ParseMediaType(header.Get("Content-Type"))
	return err == nil && mt == eventStreamType
}
