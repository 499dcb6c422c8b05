package attemptlog

import "github.com/lcngw/lcngw/pipeline"

// RecordAttempt queues the record of a pipeline attempt; it makes Log a
// pipeline.AttemptRecorder. It never blocks.
func (l *Log) RecordAttempt(a pipeline.Attempt) { l.Record(FromAttempt(&a)) }

// FromAttempt converts a pipeline attempt into its log record.
func FromAttempt(a *pipeline.Attempt) Record {
	return Record{
		Merchant: a.Merchant, Endpoint: a.Endpoint, Kind: a.Kind.String(), MessageID: a.MessageID,
		EventID: a.EventID, Key: a.Key, Attempt: a.Number, Result: resultOf(a), Reason: a.Reason,
		Status: a.Status, Duration: a.Duration, Time: a.Time, NextDue: a.NextDue, Receipt: a.ReceiptVerified,
	}
}

func resultOf(a *pipeline.Attempt) string {
	switch {
	case a.Result == pipeline.Delivered:
		return ResultDelivered
	case a.Result == pipeline.Retry && a.Reason == pipeline.ReasonPaused:
		return ResultWaiting
	case a.Result == pipeline.Retry:
		return ResultRetry
	default:
		return ResultDead
	}
}
