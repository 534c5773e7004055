package io.omnihub.connectors.wechat;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.stax.WstxInputFactory;
import io.omnihub.connector.errors.BadInputException;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLResolver;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.codehaus.stax2.XMLInputFactory2;

/**
 * The only XML parser of this connector: a streaming (StAX) read of a WeChat {@code <xml>} message
 * into its top-level fields, hardened against XXE and entity bombs.
 *
 * <p>WeChat messages never carry a DTD, so any DOCTYPE is refused outright, at the DTD event,
 * before any entity it declares could be expanded: that closes external entities, parameter
 * entities and billion-laughs at once. DTD support, external entities and external DTD access
 * are off as well, in case a future change loosens the first rule.
 *
 * <p>No tree is built: a message is read once, front to back. Elements nested inside a field
 * (WeChat's {@code ScanCodeInfo}, {@code SendLocationInfo}, {@code SendPicsInfo}) are read past
 * and are not fields themselves; the whole document is still checked to be well-formed.
 */
public final class SafeXml {

    /** WeChat messages are a few kilobytes; anything this large is not one. */
    public static final int MAX_BYTES = 1 << 20;

    /**
     * Configured once, then only asked for readers: Woodstox's factory is safe to share for that
     * (each reader takes a copy of its settings), and a reader is made per message, used by one
     * thread. Woodstox rather than the JDK's reader, which costs more to make than a WeChat message
     * costs to read; named directly, so whatever else is on the hub's class path, its behaviour
     * with a DTD is the one tested here. It keeps a few read buffers per thread, held softly.
     */
    private static final XMLInputFactory FACTORY = hardenedFactory();

    private static final XMLResolver REFUSE_ENTITIES = (publicId, systemId, baseUri, namespace) -> {
        throw new XMLStreamException("external entities are refused");
    };

    private SafeXml() {
    }

    private static XMLInputFactory hardenedFactory() {
        XMLInputFactory factory = new WstxInputFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_VALIDATING, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        // Errors at the event that holds them, as XMLStreamException, not later from getText().
        factory.setProperty(XMLInputFactory2.P_LAZY_PARSING, false);
        // Nested elements are read past, never recursed into: the body's size is the only bound needed.
        factory.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, Integer.MAX_VALUE);
        factory.setXMLResolver(REFUSE_ENTITIES);
        return factory;
    }

    /**
     * Parses a WeChat {@code <xml>} message into its top-level fields.
     *
     * @throws BadInputException "XML with a DTD is refused" for any DOCTYPE; another message for
     *     XML that is malformed, too large, not rooted at {@code <xml>}, or holds a field twice
     */
    public static WeChatXml parse(byte[] xml) {
        if (xml.length > MAX_BYTES) {
            throw new BadInputException("XML body larger than " + MAX_BYTES + " bytes is refused");
        }
        if (xml.length == 0) {
            throw new BadInputException("XML body is empty");
        }
        XMLStreamReader reader;
        try {
            reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
        } catch (XMLStreamException e) {
            throw malformed(e);
        }
        try {
            String encoding = reader.getEncoding();
            if (encoding == null || "UTF-8".equalsIgnoreCase(encoding)) {
                requireUtf8(xml);
            }
            return new WeChatXml(fields(reader));
        } catch (XMLStreamException e) {
            throw malformed(e);
        } finally {
            close(reader);
        }
    }

    private static Map<String, String> fields(XMLStreamReader reader) throws XMLStreamException {
        toRoot(reader);
        Map<String, String> fields = new LinkedHashMap<>();
        while (true) {
            int event = reader.next();
            if (event == XMLStreamConstants.END_ELEMENT) {
                break; // </xml>
            }
            if (event == XMLStreamConstants.START_ELEMENT) {
                String name = reader.getLocalName();
                String text = leafText(reader);
                if (text != null && fields.putIfAbsent(name, text) != null) {
                    // Two FromUserNames (or Encrypts) leave it to the parser which one counts: refused.
                    throw new BadInputException("WeChat message has more than one <" + shortName(name) + ">");
                }
            }
        }
        while (reader.hasNext()) {
            // Whatever follows the root (comments, or junk the reader refuses) is read, so a
            // document that is not well-formed is refused whatever the position of the fault.
            if (reader.next() == XMLStreamConstants.DTD) {
                throw new BadInputException("XML with a DTD is refused");
            }
        }
        return fields;
    }

    /** Reads the prolog up to the root element, which must be {@code <xml>}. */
    private static void toRoot(XMLStreamReader reader) throws XMLStreamException {
        while (true) {
            int event = reader.next();
            if (event == XMLStreamConstants.DTD) {
                throw new BadInputException("XML with a DTD is refused");
            }
            if (event == XMLStreamConstants.START_ELEMENT) {
                String root = reader.getLocalName();
                if (!"xml".equals(root)) {
                    throw new BadInputException("not a WeChat message: the root element is <" + shortName(root) + ">, not <xml>");
                }
                return;
            }
        }
    }

    /**
     * The text of the element the reader is at, read up to its end tag: its text and CDATA
     * sections joined (comments and processing instructions left out), or {@code null} when the
     * element holds elements of its own and so is no field.
     */
    private static String leafText(XMLStreamReader reader) throws XMLStreamException {
        String text = "";
        StringBuilder joined = null;
        boolean leaf = true;
        int depth = 1;
        while (depth > 0) {
            switch (reader.next()) {
                case XMLStreamConstants.START_ELEMENT -> {
                    leaf = false;
                    depth++;
                }
                case XMLStreamConstants.END_ELEMENT -> depth--;
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (leaf && depth == 1) {
                        // Most fields are one CDATA section: its text as is, without a builder.
                        if (joined == null && text.isEmpty()) {
                            text = reader.getText();
                        } else {
                            if (joined == null) {
                                joined = new StringBuilder(text);
                            }
                            joined.append(reader.getTextCharacters(), reader.getTextStart(), reader.getTextLength());
                        }
                    }
                }
                default -> {
                    // comments and processing instructions are not text
                }
            }
        }
        if (!leaf) {
            return null;
        }
        return joined == null ? text : joined.toString();
    }

    /**
     * Refuses bytes that are not strictly UTF-8. The reader decodes leniently (an overlong
     * {@code C0 AF} would pass as {@code /}), so a document read as UTF-8 is checked first.
     */
    private static void requireUtf8(byte[] xml) {
        ByteBuffer in = ByteBuffer.wrap(xml);
        CoderResult result = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(in, CharBuffer.allocate(xml.length), true);
        if (result.isError()) {
            throw new BadInputException("malformed XML: not UTF-8, an invalid byte sequence at byte " + in.position());
        }
    }

    private static BadInputException malformed(XMLStreamException e) {
        Location at = e.getLocation();
        String reason = e.getNestedException() != null && e.getNestedException().getMessage() != null
                ? e.getNestedException().getMessage() : e.getMessage();
        // The reader's message repeats the position on a line of its own ("...\n at [row,col {unknown-source}]: [1,5]").
        int position = reason.indexOf('\n');
        if (position >= 0) {
            reason = reason.substring(0, position);
        }
        return new BadInputException(at == null || at.getLineNumber() < 0
                ? "malformed XML: " + reason
                : "malformed XML at line " + at.getLineNumber() + ", column " + at.getColumnNumber() + ": " + reason);
    }

    private static void close(XMLStreamReader reader) {
        try {
            reader.close();
        } catch (XMLStreamException e) {
            // Nothing to release but the reader's own buffers: a byte array is no resource.
        }
    }

    /** An element name for a message: a sender may make one as long as the body. */
    private static String shortName(String name) {
        return name.length() <= 64 ? name : name.substring(0, 64) + "...";
    }
}
