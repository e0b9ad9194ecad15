// Validates many data graphs against one shapes graph with Apache Jena's SHACL, in one JVM.
// Run as a single-file program (tests/jena.py): java -cp <jena jars> ShaclBatch.java SHAPES DATA...
// Prints one line per data file: path, conforms (true/false), results, then the source shapes of the
// results (sorted, space-separated; a blank-node shape as "_:").
import java.util.TreeSet;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.validation.ReportEntry;

public class ShaclBatch {
    public static void main(String[] args) {
        Shapes shapes = Shapes.parse(RDFDataMgr.loadGraph(args[0]));
        for (int i = 1; i < args.length; i++) {
            Graph data = RDFDataMgr.loadGraph(args[i]);
            ValidationReport report = ShaclValidator.get().validate(shapes, data);
            TreeSet<String> sources = new TreeSet<>();
            for (ReportEntry entry : report.getEntries()) {
                Node source = entry.source();
                sources.add(source != null && source.isURI() ? source.getURI() : "_:");
            }
            System.out.println(args[i] + "\t" + report.conforms() + "\t" + report.getEntries().size() + "\t"
                + String.join(" ", sources));
        }
    }
}
