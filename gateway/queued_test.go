package gateway

import (
	"testing"
	"time"

	"github.com/lcngw/lcngw/pipeline"
)

func TestQueued(t *testing.T) {
	first := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		published time.Time
		want      time.Duration
	}{
		{"waited in Kafka", first.Add(-1500 * time.Millisecond), 1500 * time.Millisecond},
		{"no timestamp", time.Time{}, 0},
		{"producer clock ahead", first.Add(time.Second), 0},
	}
	for _, tt := range tests {
		n := &pipeline.Notice{State: pipeline.State{First: first, Published: tt.published}}
		a := attemptInfo(n, first.Add(2*time.Second))
		if a.Queued != tt.want || a.Since != 2*time.Second {
			t.Errorf("%s: Queued %v Since %v, want %v and 2s", tt.name, a.Queued, a.Since, tt.want)
		}
	}
}
