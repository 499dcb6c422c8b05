package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/lcngw/lcngw/internal/broker"
)

func init() {
	register("kafka", "run a standalone in-process Kafka-compatible broker (kfake) on 127.0.0.1", runKafka)
}

func runKafka(ctx context.Context, args []string, stdio Stdio) int {
	fl := newFlags("kafka", stdio)
	var o broker.Options
	fl.IntVar(&o.Port, "port", broker.DefaultPort, "port on 127.0.0.1 (0: any free port)")
	fl.IntVar(&o.Partitions, "partitions", broker.DefaultPartitions, "partitions of the --topics and of automatically created topics")
	topics := fl.String("topics", "", "topics to create at start, comma-separated (others are created on first use)")
	fl.StringVar(&o.DataDir, "data-dir", "", "keep topics, records and committed offsets in this directory across restarts")
	fl.Int64Var(&o.RetentionBytes, "retention-bytes", 0,
		"bound every partition to about this many bytes, dropping the oldest 1 MiB segments every second (0: keep everything)")
	if code, ok := parse(fl, args); !ok {
		return code
	}
	if *topics != "" {
		o.Topics = strings.Split(*topics, ",")
	}
	o.Ready = func(addr string) {
		fmt.Fprintf(stdio.Out, "kafka listening on %s\n", addr)
		fmt.Fprintf(stdio.Out, "try: kcat -b %s -L\n", addr)
	}
	if err := broker.Run(ctx, o); err != nil {
		return fail(stdio, "kafka", exitFailed, err)
	}
	return exitOK
}
