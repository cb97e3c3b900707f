// The soak reads the apps' metrics too, so the parser lives with the lab (scripts/lib); tests import it from here.
export { scrape, seriesValue } from '../../scripts/lib/prometheus-text';
