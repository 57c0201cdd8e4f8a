package usererr_test

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/crisisbot/crisisbot/internal/usererr"
)

func TestMessage(t *testing.T) {
	cause := fmt.Errorf("open /srv/corpus/a.md: %w", fs.ErrPermission)
	tests := []struct {
		name      string
		err       error
		wantMsg   string
		wantOK    bool
		wantError string
	}{
		{"none", cause, "", false, cause.Error()},
		{"wrapped", usererr.Wrap(cause, "That file could not be read."), "That file could not be read.", true, cause.Error()},
		{"inside a %w chain", fmt.Errorf("add: %w", usererr.Wrap(cause, "Inner.")), "Inner.", true, "add: " + cause.Error()},
		{"outermost wins", usererr.Wrap(usererr.Wrap(cause, "Inner."), "Outer."), "Outer.", true, cause.Error()},
		{"new", usererr.New("Just this."), "Just this.", true, "Just this."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, ok := usererr.Message(tt.err)
			if msg != tt.wantMsg || ok != tt.wantOK {
				t.Errorf("Message = %q, %v; want %q, %v", msg, ok, tt.wantMsg, tt.wantOK)
			}
			if got := tt.err.Error(); got != tt.wantError {
				t.Errorf("Error() = %q, want the cause %q", got, tt.wantError)
			}
			if tt.name != "new" && !errors.Is(tt.err, fs.ErrPermission) {
				t.Error("the cause is lost to errors.Is")
			}
		})
	}
	if usererr.Wrap(nil, "x") != nil {
		t.Error("Wrap(nil) is not nil")
	}
	if got := usererr.MessageOr(cause, "Something went wrong."); got != "Something went wrong." {
		t.Errorf("MessageOr = %q, want the fallback", got)
	}
}
