package gateway

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/retryrecord"
)

// ReplayOptions selects the dead letters Replay re-enqueues.
type ReplayOptions struct {
	// Merchant keeps only dead letters of this vendor code ("" keeps all).
	Merchant string
	// Since and Until keep dead letters that failed in [Since, Until); a
	// zero time leaves that side open.
	Since, Until time.Time
	// DryRun counts what would be replayed and writes nothing.
	DryRun bool
	// Letters, when not empty, keeps only the dead letters at these
	// places in the dead-letter topic (skip reason "unselected").
	Letters []LetterRef
	// Progress receives a line every progressEvery records scanned and a
	// summary at the end (nil: silent).
	Progress io.Writer
	// IncludeReplayed also replays dead letters an earlier replay wrote
	// back already (skip reason "replayed" otherwise).
	IncludeReplayed bool
}

// LetterRef names one dead letter by its partition and offset.
type LetterRef struct {
	Partition int
	Offset    int64
}

// ReplaySummary counts what Replay did.
type ReplaySummary struct {
	// Scanned is the number of dead letters read.
	Scanned int
	// Matched is the number that passed the merchant and time filters.
	Matched int
	// Replayed is the number written back (0 in a dry run). Deliveries go
	// to the shortest retry tier with a fresh schedule; invalid events to
	// the source topic they were read from.
	Replayed int
	// ByKind counts matched dead letters by kind (retryrecord.DeadDelivery, retryrecord.DeadInput).
	ByKind map[string]int
	// Skipped counts the dead letters not replayed, by reason: "merchant"
	// and "window" (filtered out), "replayed" (written back by an earlier
	// replay), "unreplayable" (no usable source topic or retry headers).
	Skipped map[string]int
}

// String renders the summary on one line.
func (s ReplaySummary) String() string {
	var skipped []string
	for _, k := range sortedKeys(s.Skipped) {
		skipped = append(skipped, fmt.Sprintf("%s=%d", k, s.Skipped[k]))
	}
	return fmt.Sprintf("scanned %d, matched %d (delivery %d, input %d), replayed %d, skipped [%s]",
		s.Scanned, s.Matched, s.ByKind[retryrecord.DeadDelivery], s.ByKind[retryrecord.DeadInput], s.Replayed, strings.Join(skipped, " "))
}

const (
	progressEvery = 1000
	replayBatch   = 100
)

// Replay re-enqueues the dead letters that exist when it starts and match
// opts: a delivery dead letter goes back to the retry path with its
// attempt count reset and a new first-attempt time (same signed body, same
// MESSAGE_ID), an invalid event back onto its source topic (same key,
// value and headers) to be decoded again. Dead letters stay in their topic;
// after writing a batch back, Replay appends a replay mark for each of its
// dead letters to the dead-letter topic (a record with no value, kind
// retryrecord.DeadReplayed), and later replays skip marked dead letters
// unless opts.IncludeReplayed. A mark is written only after its dead letter
// was written back, so a failed replay leaves nothing marked; receivers
// deduplicate by MESSAGE_ID if a letter is replayed twice anyway. Replay
// does not need a running gateway.
func (g *Gateway) Replay(ctx context.Context, opts ReplayOptions) (ReplaySummary, error) {
	sum := ReplaySummary{ByKind: map[string]int{}, Skipped: map[string]int{}}
	var replayed map[LetterRef]bool
	if !opts.IncludeReplayed {
		var err error
		if replayed, err = g.replayMarks(ctx); err != nil {
			return sum, err
		}
	}
	prod := newProducer(&g.opts)
	defer prod.close()
	var batch, marks []kafka.Message
	flush := func() error {
		if len(batch) == 0 || opts.DryRun {
			batch, marks = batch[:0], marks[:0]
			return nil
		}
		if err := prod.write(ctx, batch...); err != nil {
			return fmt.Errorf("replay: %w", err)
		}
		sum.Replayed += len(batch)
		g.metrics.Replayed(len(batch))
		if err := prod.write(ctx, marks...); err != nil {
			return fmt.Errorf("replay: marking %d dead letters replayed: %w", len(marks), err)
		}
		batch, marks = batch[:0], marks[:0]
		return nil
	}
	err := g.scanTopic(ctx, g.opts.Topics.DeadLetter, func(m *kafka.Message) error {
		if isReplayMark(m) {
			return nil
		}
		sum.Scanned++
		if opts.Progress != nil && sum.Scanned%progressEvery == 0 {
			fmt.Fprintf(opts.Progress, "replay: %d scanned, %d matched\n", sum.Scanned, sum.Matched)
		}
		msg, skip := g.replayMessage(m, &opts)
		if skip == "" && replayed[LetterRef{m.Partition, m.Offset}] {
			skip = "replayed"
		}
		if skip != "" {
			sum.Skipped[skip]++
			return nil
		}
		sum.Matched++
		sum.ByKind[retryrecord.Map(m.Headers)[retryrecord.HeaderDeadLetter]]++
		marks = append(marks, g.replayMark(m))
		if batch = append(batch, msg); len(batch) == replayBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if opts.Progress != nil {
		fmt.Fprintf(opts.Progress, "replay: %s\n", sum)
	}
	return sum, err
}

// replayMarks reads the dead letters earlier replays marked as written
// back.
func (g *Gateway) replayMarks(ctx context.Context) (map[LetterRef]bool, error) {
	marked := map[LetterRef]bool{}
	err := g.scanTopic(ctx, g.opts.Topics.DeadLetter, func(m *kafka.Message) error {
		if !isReplayMark(m) {
			return nil
		}
		var ref LetterRef
		if _, err := fmt.Sscanf(retryrecord.Map(m.Headers)[retryrecord.HeaderReplayOf], "%d/%d", &ref.Partition, &ref.Offset); err == nil {
			marked[ref] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("replay: reading replay marks: %w", err)
	}
	return marked, nil
}

// isReplayMark reports whether m is a replay mark, not a dead letter.
func isReplayMark(m *kafka.Message) bool {
	for _, h := range m.Headers {
		if h.Key == retryrecord.HeaderDeadLetter {
			return string(h.Value) == retryrecord.DeadReplayed
		}
	}
	return false
}

// replayMark is the record that marks dead letter m as written back.
func (g *Gateway) replayMark(m *kafka.Message) kafka.Message {
	return kafka.Message{Topic: g.opts.Topics.DeadLetter, Key: m.Key, Time: g.clock.Now(), Headers: []kafka.Header{
		{Key: retryrecord.HeaderDeadLetter, Value: []byte(retryrecord.DeadReplayed)},
		{Key: retryrecord.HeaderReplayOf, Value: fmt.Appendf(nil, "%d/%d", m.Partition, m.Offset)},
	}}
}

// replayMessage returns the record that replays dead letter m, or why it
// is skipped.
func (g *Gateway) replayMessage(m *kafka.Message, opts *ReplayOptions) (kafka.Message, string) {
	if len(opts.Letters) > 0 && !slices.Contains(opts.Letters, LetterRef{m.Partition, m.Offset}) {
		return kafka.Message{}, "unselected"
	}
	h := retryrecord.Map(m.Headers)
	if opts.Merchant != "" && merchantOf(h, m.Value) != opts.Merchant {
		return kafka.Message{}, "merchant"
	}
	failed, err := time.Parse(time.RFC3339Nano, h[retryrecord.HeaderFailedAt])
	if err != nil {
		failed = m.Time
	}
	if (!opts.Since.IsZero() && failed.Before(opts.Since)) || (!opts.Until.IsZero() && !failed.Before(opts.Until)) {
		return kafka.Message{}, "window"
	}
	if h[retryrecord.HeaderReason] == ReasonTooLarge || h[retryrecord.HeaderReason] == ReasonUnwritable {
		// A stub without the record's value: the content is at its source
		// coordinates, for an operator to fetch once a topic can hold it.
		return kafka.Message{}, h[retryrecord.HeaderReason]
	}
	if h[retryrecord.HeaderDeadLetter] == retryrecord.DeadInput {
		return g.replayInput(m, h)
	}
	return g.replayDelivery(m)
}

// replayInput puts an invalid event back onto its source topic.
func (g *Gateway) replayInput(m *kafka.Message, h map[string]string) (kafka.Message, string) {
	topic := h[retryrecord.HeaderSourceTopic]
	if topic != g.opts.Topics.LCN && topic != g.opts.Topics.IPN {
		return kafka.Message{}, "unreplayable"
	}
	return kafka.Message{Topic: topic, Key: m.Key, Value: m.Value, Headers: retryrecord.Foreign(m.Headers)}, ""
}

// replayDelivery puts a notification back on the retry path, due now, as
// if it had never been attempted.
func (g *Gateway) replayDelivery(m *kafka.Message) (kafka.Message, string) {
	rec, err := retryrecord.Decode(m.Headers)
	if err != nil {
		return kafka.Message{}, "unreplayable"
	}
	now := g.clock.Now()
	rec.Attempt, rec.Requests, rec.Busy = 0, 0, 0
	rec.First, rec.Due, rec.Enqueued = now, now, now
	tier := g.tiers[0]
	return kafka.Message{Topic: tier.Topic, Key: m.Key, Value: m.Value, Time: now,
		Headers: append(retryrecord.Carried(m.Headers), retryrecord.Encode(rec)...)}, ""
}

// merchantOf returns the vendor code of a dead letter: its merchant header,
// else the vendor_code of the event it holds.
func merchantOf(h map[string]string, value []byte) string {
	if v := h[retryrecord.HeaderMerchant]; v != "" {
		return v
	}
	var ev struct {
		VendorCode string `json:"vendor_code"`
	}
	if json.Unmarshal(value, &ev) != nil {
		return ""
	}
	return ev.VendorCode
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
