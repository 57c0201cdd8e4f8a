// Package usererr keeps what a person is told about a failure apart from
// its cause. An [*Error] carries a sentence written for the moderator who
// asked for the change, while its cause — with file paths, addresses and
// Go error text — goes to the logs and to the command line. Code that
// talks to people shows [Message], or a generic sentence when there is
// none; code that logs logs the error itself.
package usererr

import "errors"

// Error is a failure with a message for people. Msg is a whole sentence
// (or two) in plain language, safe to show on Discord: it names no file
// path and holds no Go error text. Err is the cause, for logs; it may be
// nil.
type Error struct {
	Msg string
	Err error
}

// Error returns the cause's text, so that logs and the command line keep
// the detail; without a cause it returns Msg.
func (e *Error) Error() string {
	if e.Err == nil {
		return e.Msg
	}
	return e.Err.Error()
}

// Unwrap returns the cause, for [errors.Is] and [errors.As].
func (e *Error) Unwrap() error { return e.Err }

// Wrap returns err with msg as its message for people, or nil when err is
// nil. The outermost message wins in [Message], so a caller that knows
// more can say it better.
func Wrap(err error, msg string) error {
	if err == nil {
		return nil
	}
	return &Error{Msg: msg, Err: err}
}

// New returns an error whose message for people and cause are both msg,
// for failures that need no more detail.
func New(msg string) error { return &Error{Msg: msg} }

// Message returns the message for people of the outermost [*Error] in
// err's chain, and whether there is one.
func Message(err error) (string, bool) {
	var e *Error
	if errors.As(err, &e) && e.Msg != "" {
		return e.Msg, true
	}
	return "", false
}

// MessageOr returns [Message] of err, or fallback when err carries none.
func MessageOr(err error, fallback string) string {
	if m, ok := Message(err); ok {
		return m
	}
	return fallback
}
