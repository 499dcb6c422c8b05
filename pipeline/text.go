package pipeline

import (
	"strings"
	"unicode/utf8"
)

// maxDetail bounds the free text of a disposition's Detail.
const maxDetail = 512

// Clip keeps at most n bytes of valid UTF-8 of s, on one line: control
// characters become spaces, invalid bytes become "?", and a cut never
// splits a character and ends in "…".
func Clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "?")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
