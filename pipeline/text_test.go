package pipeline

import "testing"

func TestClip(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"line\none\x00", 20, "line one "},
		{"héllo wörld", 2, "h…"}, // never cuts inside é
		{"héllo wörld", 3, "hé…"},
		{"bad\xffutf8", 20, "bad?utf8"},
	}
	for _, tt := range tests {
		if got := Clip(tt.in, tt.n); got != tt.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
