package journal

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Stats summarise the answers of a period.
type Stats struct {
	From, To  time.Time // the period, To excluded
	Questions int
	Refused   int
	Up, Down  int // votes given in the period
	// Median and P95 are answer times by the nearest-rank method; zero
	// without answers.
	Median, P95 time.Duration
	// Days are the questions per UTC day, oldest first; days without a
	// question are left out.
	Days []Day
	// Cited are the most cited articles, most first.
	Cited []Cited
}

// Day is one UTC day's questions.
type Day struct {
	Day       time.Time // midnight UTC
	Questions int
	Refused   int
}

// Cited is an article and how many answers cited it.
type Cited struct {
	Article string
	Title   string
	Answers int
}

// RefusalRate is the share of questions refused, 0 without questions.
func (s Stats) RefusalRate() float64 {
	if s.Questions == 0 {
		return 0
	}
	return float64(s.Refused) / float64(s.Questions)
}

// statsCited is how many articles [Stats.Cited] lists.
const statsCited = 5

// Stats summarises the answers given from from (included) to to
// (excluded).
func (j *Journal) Stats(ctx context.Context, from, to time.Time) (Stats, error) {
	st := Stats{From: from, To: to}
	lo, hi := ms(from), ms(to)
	const day = int64(24 * time.Hour / time.Millisecond)
	rows, err := j.db.QueryContext(ctx, `SELECT at / ?, COUNT(*), SUM(refused) FROM answers WHERE at >= ? AND at < ? GROUP BY 1 ORDER BY 1`, day, lo, hi)
	if err != nil {
		return st, fmt.Errorf("journal: stats: %w", err)
	}
	for rows.Next() {
		var d int64
		var x Day
		if err := rows.Scan(&d, &x.Questions, &x.Refused); err != nil {
			rows.Close()
			return st, fmt.Errorf("journal: stats: %w", err)
		}
		x.Day = fromMS(d * day)
		st.Days = append(st.Days, x)
		st.Questions += x.Questions
		st.Refused += x.Refused
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("journal: stats: %w", err)
	}

	var lat []int64
	rows, err = j.db.QueryContext(ctx, `SELECT latency_ms FROM answers WHERE at >= ? AND at < ?`, lo, hi)
	if err != nil {
		return st, fmt.Errorf("journal: stats: %w", err)
	}
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return st, fmt.Errorf("journal: stats: %w", err)
		}
		lat = append(lat, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("journal: stats: %w", err)
	}
	slices.Sort(lat)
	st.Median = time.Duration(nearestRank(lat, 50)) * time.Millisecond
	st.P95 = time.Duration(nearestRank(lat, 95)) * time.Millisecond

	if err := j.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(vote > 0), 0), COALESCE(SUM(vote < 0), 0) FROM feedback WHERE at >= ? AND at < ?`, lo, hi).Scan(&st.Up, &st.Down); err != nil {
		return st, fmt.Errorf("journal: stats: %w", err)
	}

	rows, err = j.db.QueryContext(ctx, `SELECT c.article, MAX(c.title), COUNT(DISTINCT c.answer_id) AS n
		FROM citations c JOIN answers a ON a.id = c.answer_id
		WHERE a.at >= ? AND a.at < ? GROUP BY c.article ORDER BY n DESC, c.article LIMIT ?`, lo, hi, statsCited)
	if err != nil {
		return st, fmt.Errorf("journal: stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c Cited
		if err := rows.Scan(&c.Article, &c.Title, &c.Answers); err != nil {
			return st, fmt.Errorf("journal: stats: %w", err)
		}
		st.Cited = append(st.Cited, c)
	}
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("journal: stats: %w", err)
	}
	return st, nil
}

// nearestRank is the pct-th percentile of sorted by the nearest-rank
// method: the smallest value with at least pct% of the values at or below
// it. Integer arithmetic, so the 95th of 20 values is the 19th, not the
// 20th by a rounding error.
func nearestRank(sorted []int64, pct int) int64 {
	if len(sorted) == 0 {
		return 0
	}
	r := (pct*len(sorted) + 99) / 100
	return sorted[min(max(r, 1), len(sorted))-1]
}
