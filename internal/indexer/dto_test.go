package indexer

import dto "github.com/prometheus/client_model/go"

type dtoMetric struct{ metric dto.Metric }

func (d *dtoMetric) m() *dto.Metric { return &d.metric }

func (d *dtoMetric) value() float64 {
	if d.metric.Counter != nil {
		return d.metric.Counter.GetValue()
	}
	if d.metric.Gauge != nil {
		return d.metric.Gauge.GetValue()
	}
	return 0
}
