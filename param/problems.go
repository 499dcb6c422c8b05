package param

// Problems collects the problems of one document or event: the first
// MaxProblems in full, the rest only counted, so no event makes its report
// large or slow to write. The zero value is ready to use.
type Problems struct {
	kept []Problem
	more int
}

// Full reports whether the list is full, counting one more problem when
// it is: a caller that found a problem describes it, and records it with
// Add, only when Full reports false.
func (ps *Problems) Full() bool {
	if len(ps.kept) < MaxProblems {
		return false
	}
	ps.more++
	return true
}

// Add records p, or only counts it once the list is full.
func (ps *Problems) Add(p Problem) {
	if !ps.Full() {
		ps.kept = append(ps.kept, p)
	}
}

// Kept returns the problems kept, in the order found; their fields may be
// changed in place.
func (ps *Problems) Kept() []Problem { return ps.kept }

// Found returns how many problems were found, kept or only counted.
func (ps *Problems) Found() int { return len(ps.kept) + ps.more }

// Err returns nil when no problem was found and an *Error of kind
// otherwise.
func (ps *Problems) Err(kind string) error { return CollectMore(kind, ps.kept, ps.more) }
