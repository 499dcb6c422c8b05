package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/ipn"
	"github.com/lcngw/lcngw/kafkaconn"
	"github.com/lcngw/lcngw/lcn"
)

func init() {
	register("publish", "publish an event read from stdin to its source topic, over the configured Kafka connection", runPublish)
}

// maxPublished bounds the event publish reads.
const maxPublished = 16 << 20

func runPublish(ctx context.Context, args []string, stdio Stdio) int {
	fl := newFlags("publish", stdio)
	var cf configFlags
	cf.register(fl)
	kind := fl.String("kind", "lcn", "event kind: lcn (to kafka.topics.lcn) or ipn (to kafka.topics.ipn)")
	if code, ok := parse(fl, args); !ok {
		return code
	}
	event, err := io.ReadAll(io.LimitReader(stdio.In, maxPublished+1))
	if err != nil || len(event) > maxPublished {
		return fail(stdio, "publish", exitInvalid, errors.New("stdin: unreadable or over 16 MiB"))
	}
	key, err := eventKey(*kind, event)
	if err != nil {
		return fail(stdio, "publish", exitInvalid, err)
	}
	cfg, err := cf.load()
	if err != nil {
		return fail(stdio, "publish", exitInvalid, err)
	}
	topic := cfg.Kafka.Topics.LCN
	if *kind == "ipn" {
		topic = cfg.Kafka.Topics.IPN
	}
	conn, err := connectKafka(ctx, cfg)
	if err != nil {
		return fail(stdio, "publish", exitFailed, err)
	}
	if err := publish(ctx, conn, kafka.Message{Topic: topic, Key: []byte(key), Value: event}); err != nil {
		return fail(stdio, "publish", exitFailed, err)
	}
	fmt.Fprintf(stdio.Out, "published to %s, key %s\n", topic, key)
	return exitOK
}

// eventKey checks the event and returns its key: the license code of an
// LCN event, the order reference of an IPN event.
func eventKey(kind string, event []byte) (string, error) {
	switch kind {
	case "lcn":
		e, err := lcn.Decode(event)
		if err != nil {
			return "", fmt.Errorf("lcn event: %w", err)
		}
		return e.Subscription.LicenseCode, nil
	case "ipn":
		e, err := ipn.Decode(event)
		if err != nil {
			return "", fmt.Errorf("ipn event: %w", err)
		}
		return e.Order.Refno, nil
	}
	return "", fmt.Errorf("--kind: %q is not lcn or ipn", kind)
}

// publish writes m and waits for every in-sync replica.
func publish(ctx context.Context, conn *kafkaconn.Conn, m kafka.Message) error {
	w := &kafka.Writer{Addr: conn.Addr(), Transport: conn.Transport(), Balancer: &kafka.Hash{},
		RequiredAcks: kafka.RequireAll, BatchTimeout: time.Millisecond}
	defer w.Close()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := w.WriteMessages(ctx, m); err != nil {
		return fmt.Errorf("write to %s: %w", m.Topic, err)
	}
	return nil
}
