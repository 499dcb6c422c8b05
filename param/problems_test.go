package param

import (
	"errors"
	"strconv"
	"testing"
)

// TestProblems: the first MaxProblems problems are kept in order, later
// ones only counted, and Err reports them all, or nil for none.
func TestProblems(t *testing.T) {
	var ps Problems
	if err := ps.Err("lcn"); err != nil {
		t.Fatalf("no problem, error %v", err)
	}
	for i := range MaxProblems + 5 {
		ps.Add(Problem{Field: "f" + strconv.Itoa(i), Reason: ReasonMissing})
	}
	if !ps.Full() { // counts one more
		t.Fatal("not full")
	}
	if got := len(ps.Kept()); got != MaxProblems || ps.Kept()[MaxProblems-1].Field != "f15" {
		t.Errorf("kept %d, the last %q", got, ps.Kept()[got-1].Field)
	}
	if ps.Found() != MaxProblems+6 {
		t.Errorf("found %d, want %d", ps.Found(), MaxProblems+6)
	}
	var e *Error
	if !errors.As(ps.Err("lcn"), &e) || len(e.Problems) != MaxProblems || e.More != 6 {
		t.Errorf("error %v", ps.Err("lcn"))
	}
}
