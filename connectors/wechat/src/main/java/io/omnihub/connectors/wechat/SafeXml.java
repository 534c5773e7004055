package io.omnihub.connectors.wechat;

import io.omnihub.connector.errors.BadInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.EntityResolver;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The only XML parser of this connector, hardened against XXE and entity bombs.
 *
 * <p>WeChat messages never carry a DTD, so any DOCTYPE is refused outright rather than merely
 * neutralised: that closes external entities, parameter entities and billion-laughs at once.
 * External DTD and schema access are off as well, in case a future change loosens the first rule.
 */
public final class SafeXml {

    /** WeChat messages are a few kilobytes; anything this large is not one. */
    public static final int MAX_BYTES = 1 << 20;

    private static final DocumentBuilderFactory FACTORY = hardenedFactory();
    /**
     * Builders are costly to make and single-threaded, so they are reused from a small pool (a pool,
     * not a ThreadLocal, so the hub's request threads hold no reference to this plugin's classes
     * once it is unloaded).
     */
    private static final int POOL_SIZE = 32;
    private static final Queue<DocumentBuilder> BUILDERS = new ConcurrentLinkedQueue<>();
    private static final EntityResolver REFUSE_ENTITIES = (publicId, systemId) -> {
        throw new SAXException("external entities are refused");
    };
    /** A start tag: once one is seen, the prolog (where a DOCTYPE lives) is over. */
    private static final Pattern START_TAG = Pattern.compile("<[A-Za-z_]");

    private static final ErrorHandler QUIET = new ErrorHandler() {
        // The default handler prints "[Fatal Error]" lines to stderr; the exception says it all.
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private SafeXml() {
    }

    private static DocumentBuilderFactory hardenedFactory() {
        // The JDK's own parser, whatever else is on the hub's class path: its feature names are known.
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser refused a hardening feature", e);
        }
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(false);
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
        Document document;
        DocumentBuilder builder = null;
        try {
            builder = borrowBuilder();
            document = builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXException e) {
            if (declaresDoctype(xml)) {
                throw new BadInputException("XML with a DTD is refused");
            }
            throw new BadInputException("malformed XML: " + e.getMessage());
        } catch (IOException | ParserConfigurationException e) {
            throw new BadInputException("unreadable XML: " + e.getMessage());
        } finally {
            if (builder != null && BUILDERS.size() < POOL_SIZE) {
                BUILDERS.offer(builder);
            }
        }
        Element root = document.getDocumentElement();
        if (!"xml".equals(root.getTagName())) {
            throw new BadInputException("not a WeChat message: the root element is <" + shortName(root.getTagName()) + ">, not <xml>");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && isLeaf(element)
                    && fields.putIfAbsent(element.getTagName(), element.getTextContent()) != null) {
                // Two FromUserNames (or Encrypts) leave it to the parser which one counts: refused.
                throw new BadInputException("WeChat message has more than one <" + shortName(element.getTagName()) + ">");
            }
        }
        return new WeChatXml(fields);
    }

    private static DocumentBuilder borrowBuilder() throws ParserConfigurationException {
        DocumentBuilder builder = BUILDERS.poll();
        if (builder == null) {
            synchronized (FACTORY) {
                // A factory is not guaranteed thread-safe; the builders it makes are used by one thread.
                builder = FACTORY.newDocumentBuilder();
            }
        } else {
            builder.reset(); // back to the factory's hardened settings; handlers are set again below
        }
        builder.setErrorHandler(QUIET);
        builder.setEntityResolver(REFUSE_ENTITIES);
        return builder;
    }

    /** An element name for a message: a sender may make one as long as the body. */
    private static String shortName(String name) {
        return name.length() <= 64 ? name : name.substring(0, 64) + "...";
    }

    private static boolean isLeaf(Element element) {
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() == Node.ELEMENT_NODE) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the document's prolog declares a DOCTYPE. Asked only after the parser refused the
     * document: the parser's message is localised and so cannot be matched, and a DOCTYPE-looking
     * string inside a message's text (a user may type one) must not be mistaken for a DTD.
     */
    static boolean declaresDoctype(byte[] xml) {
        String text = new String(xml, StandardCharsets.UTF_8);
        int doctype = text.indexOf("<!DOCTYPE");
        return doctype >= 0 && !START_TAG.matcher(text.substring(0, doctype)).find();
    }
}
