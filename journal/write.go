package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Answer is one question and the answer crisisbot gave, as recorded.
type Answer struct {
	// At is when the answer went out; zero means now.
	At time.Time
	// Via is where the question came from: "ask", "mention", "terminal".
	Via string
	// User is the asker's ID (a Discord snowflake); only its keyed hash is
	// stored.
	User     string
	Question string
	Text     string
	Mode     string // "extractive" or "llm"
	Refused  bool
	Reason   string // why it was refused, for a refusal
	Latency  time.Duration
	// Citations are the sources the answer cites.
	Citations []Citation
	// Nearest is the article the retrieval ranked first for the question,
	// cited or not: for a refusal, the article that came closest.
	Nearest      string
	NearestTitle string
}

// Citation is one cited source of an [Answer].
type Citation struct {
	N       int
	Article string // article ID
	Passage string // passage ID, "" when unknown
	Title   string
}

// RecordAnswer stores an answer with its citations and returns its ID, the
// one a feedback button carries. It also deletes expired rows, at most
// once an hour.
func (j *Journal) RecordAnswer(ctx context.Context, a Answer) (int64, error) {
	if a.At.IsZero() {
		a.At = j.cfg.Now()
	}
	var id int64
	err := j.inTxWrap(ctx, "record answer", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO answers (at, via, user_hash, question, answer, mode, refused, reason, latency_ms, nearest, nearest_title)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			ms(a.At), a.Via, j.hashUser(a.User), a.Question, a.Text, a.Mode, a.Refused, a.Reason, a.Latency.Milliseconds(), a.Nearest, a.NearestTitle)
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		for _, c := range a.Citations {
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO citations (answer_id, n, article, passage, title) VALUES (?, ?, ?, ?, ?)`,
				id, c.N, c.Article, c.Passage, c.Title); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	// The answer is committed whatever the prune does.
	if err := j.maybePrune(ctx); err != nil {
		return id, err
	}
	return id, nil
}

// Vote is a member's feedback on an answer.
type Vote int

// The two votes, as stored.
const (
	Down Vote = -1
	Up   Vote = 1
)

// String is the vote as an emoji.
func (v Vote) String() string {
	switch v {
	case Up:
		return "👍"
	case Down:
		return "👎"
	}
	return "none"
}

// SetFeedback records user's vote on answer id: one per user per answer,
// so a second press replaces the first. It returns the vote it replaced,
// zero for none. An answer the journal does not hold (expired, or never
// recorded here) is [ErrUnknownAnswer].
func (j *Journal) SetFeedback(ctx context.Context, id int64, user string, v Vote) (Vote, error) {
	if v != Up && v != Down {
		return 0, fmt.Errorf("journal: feedback: vote %d is neither up nor down", v)
	}
	if user == "" {
		return 0, errors.New("journal: feedback: no user")
	}
	h := j.hashUser(user)
	var prev Vote
	err := j.inTxWrap(ctx, "feedback", func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM answers WHERE id = ?`, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return ErrUnknownAnswer
		}
		var old sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT vote FROM feedback WHERE answer_id = ? AND user_hash = ?`, id, h).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		prev = Vote(old.Int64)
		_, err = tx.ExecContext(ctx, `INSERT INTO feedback (answer_id, user_hash, vote, at) VALUES (?, ?, ?, ?)
			ON CONFLICT (answer_id, user_hash) DO UPDATE SET vote = excluded.vote, at = excluded.at`,
			id, h, int(v), ms(j.cfg.Now()))
		return err
	})
	return prev, err
}

// Action is something a moderator did.
type Action struct {
	At     time.Time // zero means now
	User   string    // the moderator's ID; only its keyed hash is stored
	Kind   string    // "add", "remove", "restore", "reload", ...
	Target string    // an article ID, a URL, or ""
	Detail string    // the outcome: "ok", or what failed
}

// RecordAction stores a moderator's action.
func (j *Journal) RecordAction(ctx context.Context, a Action) error {
	if a.At.IsZero() {
		a.At = j.cfg.Now()
	}
	return j.inTxWrap(ctx, "record action", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO actions (at, user_hash, kind, target, detail) VALUES (?, ?, ?, ?, ?)`,
			ms(a.At), j.hashUser(a.User), a.Kind, a.Target, a.Detail)
		return err
	})
}

// Actions returns the actions recorded since since, oldest first, with
// the user as its hash.
func (j *Journal) Actions(ctx context.Context, since time.Time) ([]Action, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT at, user_hash, kind, target, detail FROM actions WHERE at >= ? ORDER BY at, id`, ms(since))
	if err != nil {
		return nil, fmt.Errorf("journal: actions: %w", err)
	}
	defer rows.Close()
	var out []Action
	for rows.Next() {
		var a Action
		var at int64
		if err := rows.Scan(&at, &a.User, &a.Kind, &a.Target, &a.Detail); err != nil {
			return nil, fmt.Errorf("journal: actions: %w", err)
		}
		a.At = fromMS(at)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("journal: actions: %w", err)
	}
	return out, nil
}
