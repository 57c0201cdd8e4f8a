package answer

import (
	"reflect"
	"testing"
)

func TestCheckCitations(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		passages    int
		wantText    string
		wantOrder   []int
		wantInvalid []int
	}{
		{"none", "Rubio spoke with Munir.", 3, "Rubio spoke with Munir.", nil, nil},
		{"single", "Rubio spoke with Munir [2].", 3, "Rubio spoke with Munir [1].", []int{2}, nil},
		{"zero is invalid", "Rubio spoke with Munir [0].", 3, "Rubio spoke with Munir.", nil, []int{0}},
		{"out of range", "Rubio spoke with Munir [99].", 3, "Rubio spoke with Munir.", nil, []int{99}},
		{"adjacent", "Talks failed [1][2].", 3, "Talks failed [1][2].", []int{1, 2}, nil},
		{"comma list", "Talks failed [3, 1].", 3, "Talks failed [1][2].", []int{3, 1}, nil},
		{"renumbered by first use", "A [3]. B [1]. C [3].", 3, "A [1]. B [2]. C [1].", []int{3, 1}, nil},
		{"mixed valid and invalid", "A [2, 7].", 3, "A [1].", []int{2}, []int{7}},
		{"repeated in one marker", "A [2, 2].", 3, "A [1].", []int{2}, nil},
		{"spaces inside", "A [ 2 ].", 3, "A [1].", []int{2}, nil},
		{"negative is invalid", "Nothing supports this [-1].", 3, "Nothing supports this.", nil, []int{-1}},
		{"negative spaced", "A [ -1 ] B [2].", 3, "A B [1].", []int{2}, []int{-1}},
		{"negative in a list", "A [2, -1].", 3, "A [1].", []int{2}, []int{-1}},
		{"plus sign is invalid", "A [+2].", 3, "A.", nil, []int{2}},
		{"zero spaced", "A [ 0 ].", 3, "A.", nil, []int{0}},
		{"not a marker", "In [brackets] and [1a].", 3, "In [brackets] and [1a].", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkCitations(tt.in, tt.passages)
			if got.Text != tt.wantText {
				t.Errorf("text %q, want %q", got.Text, tt.wantText)
			}
			if !reflect.DeepEqual(got.Order, tt.wantOrder) {
				t.Errorf("order %v, want %v", got.Order, tt.wantOrder)
			}
			if !reflect.DeepEqual(got.Invalid, tt.wantInvalid) {
				t.Errorf("invalid %v, want %v", got.Invalid, tt.wantInvalid)
			}
		})
	}
}

func TestCheckCitationsClaims(t *testing.T) {
	got := checkCitations("Rubio spoke with Munir on Friday [2]. He offered help [1][2].", 2)
	want := map[int][]string{
		1: {"Rubio spoke with Munir on Friday", "He offered help"},
		2: {"He offered help"},
	}
	if !reflect.DeepEqual(got.Claims, want) {
		t.Errorf("claims %v, want %v", got.Claims, want)
	}
}

func FuzzCheckCitations(f *testing.F) {
	for _, s := range []string{"A [1]. B [2][3].", "[0] [99] [1, 2]", "[", "[1", "x]", "[1,]", "[ 2 , 3 ]", "[-1]", "[+1, -0]", "[-[1]]"} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = n%10 + 1
		if n < 1 {
			n = 1
		}
		got := checkCitations(s, n)
		again := checkCitations(got.Text, n)
		// Every marker left points at a passage, numbered 1..len(Order)
		// in order of first use, so checking again changes nothing.
		if again.Text != got.Text || len(again.Invalid) != 0 {
			t.Fatalf("not stable: %q -> %q -> %q (invalid %v)", s, got.Text, again.Text, again.Invalid)
		}
		for i, o := range again.Order {
			if o != i+1 {
				t.Fatalf("renumbered text %q cites %v, want 1..n in order", got.Text, again.Order)
			}
		}
		for _, p := range got.Order {
			if p < 1 || p > n {
				t.Fatalf("order %v names a passage outside 1..%d", got.Order, n)
			}
		}
	})
}
