//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package delivery

import "syscall"

// peekOpen reports whether the idle socket fd is still open and quiet: a
// non-blocking peek finds neither the end of the stream nor data.
func peekOpen(fd uintptr) bool {
	var b [1]byte
	_, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
	return err == syscall.EAGAIN || err == syscall.EWOULDBLOCK // else: the end, data or an error
}
