//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package delivery

// peekOpen cannot peek without blocking here: an idle connection counts
// as open, and a request on one its server closed fails the attempt.
func peekOpen(uintptr) bool { return true }
