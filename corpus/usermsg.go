package corpus

import (
	"errors"
	"fmt"

	"github.com/crisisbot/crisisbot/internal/usererr"
)

// explain gives err, from reading a file or page handed over for adding
// (noun is "file" or "page"), a message for people, unless it has one: the
// moderator who added it reads the message on Discord, where the error's
// own text, with its offsets and Go wording, does not belong.
func explain(err error, noun string) error {
	if err == nil {
		return nil
	}
	if _, ok := usererr.Message(err); ok {
		return err
	}
	var msg string
	switch {
	case errors.Is(err, ErrUnsupported):
		msg = "That file is not a .md, .txt or .html article."
	case errors.Is(err, ErrBinary):
		msg = fmt.Sprintf("That %s is not text: it holds binary data.", noun)
	case errors.Is(err, ErrEncoding):
		msg = fmt.Sprintf("That %s is not UTF-8 text (nor in a character set it declares).", noun)
	case errors.Is(err, ErrNoText):
		msg = fmt.Sprintf("That %s has no text once its markup is taken away.", noun)
	case errors.Is(err, ErrTooLarge):
		msg = fmt.Sprintf("That %s is too large to be an article.", noun)
	case errors.Is(err, ErrNotRegular):
		msg = "That is not a regular file."
	default:
		msg = fmt.Sprintf("That %s could not be read as an article.", noun)
	}
	return usererr.Wrap(err, msg)
}
