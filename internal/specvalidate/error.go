package specvalidate

import (
	"fmt"
	"net/http"
	"strings"

	liberrors "github.com/pb33f/libopenapi-validator/errors"
)

// Kinds of [Error].
const (
	// KindRequest marks an [Error] about a request.
	KindRequest = "request"
	// KindResponse marks an [Error] about a response.
	KindResponse = "response"
)

// Error lists every way a request, or a response to it, failed to match the
// document. [Validator.ValidateRequest], [Validator.ValidateResponse] and
// [Validator.Middleware] report failures as *Error; use errors.As to reach
// the individual failures.
type Error struct {
	// Kind is KindRequest or KindResponse.
	Kind string
	// Method and Path are those of the request, before any prefix rewrite.
	Method, Path string
	// Status is the response status, or 0 for a request.
	Status int
	// Failures are the validator's findings, in the order it reported them.
	Failures []*liberrors.ValidationError
}

// newError returns an *Error for failures, or nil when there are none. The
// nil is an untyped nil error, so callers can compare the result with nil.
func newError(kind string, r *http.Request, status int, failures []*liberrors.ValidationError) error {
	if len(failures) == 0 {
		return nil
	}
	return &Error{Kind: kind, Method: r.Method, Path: r.URL.Path, Status: status, Failures: failures}
}

// Error returns one line naming the request followed by one indented line per
// failure: its message and reason, then for a schema failure the location in
// the instance and the schema keyword that failed.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Kind == KindResponse {
		fmt.Fprintf(&b, "response %d to %s %s", e.Status, e.Method, e.Path)
	} else {
		fmt.Fprintf(&b, "%s %s %s", e.Kind, e.Method, e.Path)
	}
	fmt.Fprintf(&b, " does not match the OpenAPI document (%d failures):", len(e.Failures))
	for _, f := range e.Failures {
		fmt.Fprintf(&b, "\n  - %s", f.Message)
		if f.Reason != "" {
			fmt.Fprintf(&b, ": %s", f.Reason)
		}
		if f.SpecPath != "" {
			fmt.Fprintf(&b, " [operation %s]", f.SpecPath)
		}
		for _, s := range f.SchemaValidationErrors {
			at := s.FieldPath
			if at == "" {
				at = "$"
			}
			fmt.Fprintf(&b, "\n      at %s: %s (schema %s)", at, s.Reason, s.KeywordLocation)
		}
	}
	return b.String()
}
