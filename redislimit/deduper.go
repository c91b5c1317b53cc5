package redislimit

import (
	"context"
	"errors"
	"time"

	"github.com/go-gorgias/gorgias/webhook"
	"github.com/redis/go-redis/v9"
)

// DefaultDeduperPrefix starts the keys of a Deduper: a delivery's claim
// lives at "gorgias:webhook:DELIVERY_ID".
const DefaultDeduperPrefix = "gorgias:webhook:"

// Deduper is a webhook.Deduper in Redis, so the replicas serving one HTTP
// integration's URL run each event once between them:
//
//	h := webhook.NewHandler(secret, fn, webhook.WithDeduper(redislimit.NewDeduper(rdb, "")))
//
// A claim is one key set with SET NX PX (it expires with the dedup window)
// and released with DEL. Each call is bounded by DefaultTimeout: a Redis
// that is away makes Claim fail, which the handler answers 503, so
// Gorgias delivers again later.
type Deduper struct {
	rdb     redis.UniversalClient
	prefix  string
	timeout time.Duration
}

var _ webhook.Deduper = (*Deduper)(nil)

// NewDeduper returns a Deduper keeping its claims in rdb under prefix
// (DefaultDeduperPrefix when empty).
func NewDeduper(rdb redis.UniversalClient, prefix string) *Deduper {
	if prefix == "" {
		prefix = DefaultDeduperPrefix
	}
	return &Deduper{rdb: rdb, prefix: prefix, timeout: DefaultTimeout}
}

// maxDeliveryID bounds the ids used in keys; the webhook package's are 32
// hex digits.
const maxDeliveryID = 256

// Claim implements webhook.Deduper.
func (d *Deduper) Claim(ctx context.Context, deliveryID string, window time.Duration) (bool, error) {
	if deliveryID == "" || len(deliveryID) > maxDeliveryID {
		return false, errors.New("redislimit: Deduper.Claim: the delivery id is empty or longer than 256 bytes")
	}
	if window < time.Millisecond {
		window = time.Millisecond
	}
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	ok, err := d.rdb.SetNX(ctx, d.prefix+deliveryID, 1, window).Result()
	if err != nil {
		return false, errors.Join(errors.New("redislimit: Deduper.Claim"), err)
	}
	return ok, nil
}

// Release implements webhook.Deduper.
func (d *Deduper) Release(ctx context.Context, deliveryID string) error {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	if err := d.rdb.Del(ctx, d.prefix+deliveryID).Err(); err != nil {
		return errors.Join(errors.New("redislimit: Deduper.Release"), err)
	}
	return nil
}
