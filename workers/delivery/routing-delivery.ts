import type { JobAnswer } from '../results.ts';
import type { Delivery, DeliveryReceipt, DeliveryRequest, DeliveryTarget, FailureNotice, JobProgress } from './delivery.ts';

export type DeliveriesByTarget = { [K in DeliveryTarget['kind']]: Delivery };

/** Hands each request to the delivery of its target's kind (outbox, caller, and the bots' own later). */
export class RoutingDelivery implements Delivery {
  constructor(private readonly deliveries: DeliveriesByTarget) {}

  progress(request: DeliveryRequest, progress: JobProgress): Promise<void> {
    return this.deliveries[request.target.kind].progress(request, progress);
  }

  deliver(request: DeliveryRequest, answer: JobAnswer): Promise<DeliveryReceipt> {
    return this.deliveries[request.target.kind].deliver(request, answer);
  }

  fail(request: DeliveryRequest, failure: FailureNotice): Promise<DeliveryReceipt> {
    return this.deliveries[request.target.kind].fail(request, failure);
  }
}
