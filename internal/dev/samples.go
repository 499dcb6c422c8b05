package dev

import (
	"fmt"
	"strconv"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/lcn"
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

// sample is one sample event and the notification it becomes.
type sample struct {
	kind      signer.Kind
	example   string
	eventID   string
	messageID string
}

// label names a notification in plain language, e.g. "LCN licence-change #42".
func (s sample) label() string { return fmt.Sprintf("%s %s", labelKind(s.kind), s.example) }

func labelKind(k signer.Kind) string {
	if k == signer.KindLCN {
		return "LCN"
	}
	return "IPN"
}

// sampler makes sample events from the packages' examples, LCN and IPN in
// turn, each with a fresh event ID.
type sampler struct {
	run  string // distinguishes this run's event IDs
	n    int
	lcns []string
	ipns []string
}

func newSampler(run string) *sampler {
	return &sampler{run: run, lcns: lcn.ExampleNames(), ipns: ipn.ExampleNames()}
}

// next returns the next sample event as a record of its source topic.
func (s *sampler) next() (kafka.Message, sample, error) {
	i := s.n
	s.n++
	smp := sample{kind: signer.KindLCN, example: s.lcns[(i/2)%len(s.lcns)], eventID: fmt.Sprintf("%s-%d", s.run, i)}
	topic, load := devTopics.LCN, lcn.Example
	if i%2 == 1 {
		smp.kind, smp.example = signer.KindIPN, s.ipns[(i/2)%len(s.ipns)]
		topic, load = devTopics.IPN, ipn.Example
	}
	data, err := load(smp.example)
	if err != nil {
		return kafka.Message{}, smp, err
	}
	value, err := param.WithEventID(data, smp.eventID)
	if err != nil {
		return kafka.Message{}, smp, fmt.Errorf("sample %s: %w", smp.example, err)
	}
	smp.messageID = strconv.FormatUint(param.MessageID(Vendor, smp.eventID), 10)
	key := fmt.Appendf(nil, "sample-%d", i%8)
	return kafka.Message{Topic: topic, Key: key, Value: value}, smp, nil
}
